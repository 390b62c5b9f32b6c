import { pino } from 'pino';
import { loadContent } from '../../src/content/load.ts';
import { type Core, createCore } from '../../src/core/core.ts';
import type { Clock } from '../../src/core/ports.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { createScriptConverter, type ScriptConverter } from '../../src/text/convert.ts';

let sharedConvert: ScriptConverter | undefined;

/** One converter per test process: building it costs ~100 ms. */
export function testConvert(): ScriptConverter {
  sharedConvert ??= createScriptConverter();
  return sharedConvert;
}

export interface TestCore {
  core: Core;
  store: Store;
  clock: Clock & { advance(ms: number): void };
}

/** The real core on the shipped content, over an in-memory SQLite store and a manual clock. */
export async function createTestCore(options: { storeUrl?: string; contextTtlMs?: number } = {}): Promise<TestCore> {
  const content = await loadContent('content', 'cambodia-scam-sweep');
  const store = await openStore(options.storeUrl ?? 'sqlite://:memory:');
  let now = Date.parse('2026-11-28T12:00:00Z');
  const clock = {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
  const core = createCore({
    content,
    convert: testConvert(),
    store,
    clock,
    logger: pino({ level: 'silent' }),
    config: { contextTtlMs: options.contextTtlMs ?? 30 * 60_000 },
  });
  return { core, store, clock };
}
