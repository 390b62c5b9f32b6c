import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { loadContent } from '../../src/content/load.ts';
import { type Core, type CoreDeps, createCore } from '../../src/core/core.ts';
import { createLogger } from '../../src/logger.ts';
import type { Clock } from '../../src/protocol/clock.ts';
import type { ChatEvent } from '../../src/protocol/event.ts';
import type { Reply } from '../../src/protocol/reply.ts';
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
  clock: ManualClock;
}

export type ManualClock = Clock & { advance(ms: number): void };

/** A clock that moves only when told to. */
export function manualClock(start = Date.parse('2026-11-28T12:00:00Z')): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** In-memory logs: a logger whose lines (tokens scrubbed) can be read back. */
export function capturedLogger(secrets: (string | undefined)[] = [], level = 'debug') {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => {
    text += d;
  });
  return { logger: createLogger({ level, format: 'json', secrets, destination: stream }), logs: () => text };
}

/** The real core on the shipped content, over an in-memory SQLite store and a manual clock. */
export async function createTestCore(
  options: {
    storeUrl?: string;
    contextTtlMs?: number;
    logger?: CoreDeps['logger'];
    llm?: CoreDeps['llm'];
    userMessagesPerMinute?: number;
  } = {},
): Promise<TestCore> {
  const content = await loadContent('content', 'cambodia-scam-sweep');
  const store = await openStore(options.storeUrl ?? 'sqlite://:memory:');
  const clock = manualClock();
  const core = createCore({
    content,
    convert: testConvert(),
    store,
    clock,
    logger: options.logger ?? pino({ level: 'silent' }),
    config: { contextTtlMs: options.contextTtlMs ?? 30 * 60_000, userMessagesPerMinute: options.userMessagesPerMinute },
    llm: options.llm,
  });
  return { core, store, clock };
}

/** A message in a Telegram group, as the core receives it: the shape most specifications start from. */
export const groupEvent = (text: string, extra: Partial<ChatEvent> = {}): ChatEvent => ({
  platform: 'telegram',
  chatId: '-100123',
  userId: '42',
  chatType: 'group',
  text,
  ...extra,
});

/**
 * Asks each question in a chat of its own, so no follow-up context leaks between specifications.
 * `core` is read at each call (it is created in a beforeAll).
 */
export function askInNewChats(core: () => TestCore, prefix: string) {
  let n = 0;
  return (text: string, extra: Partial<ChatEvent> = {}): Promise<Reply> =>
    core().core.handle(groupEvent(text, { chatId: `${prefix}-${n++}`, ...extra }));
}

/** The article blocks a reply cites. */
export const citedBlocks = (reply: Reply): string[] => reply.citations.map((c) => c.block);
