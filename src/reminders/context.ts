import type { Logger } from '../logger.ts';
import type { Clock } from '../protocol/clock.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import type { Claims, DueQueue, KeyValue } from '../store/store.ts';
import { createTipRotation, type TipRotation } from './rotation.ts';
import type { Poster, RemindersDeps, Subscription } from './scheduler.ts';

/** What was posted for a slot, kept as long as the slot's claim. */
export interface Delivery {
  tip: string;
  at: number;
  outcome: string;
}

/** The scheduler's dependencies with defaults filled in, and the store parts it keeps its state in. */
export interface ReminderContext {
  composer: ReplyComposer;
  clock: Clock;
  logger: Logger;
  /** Mutable: `usePoster` registers platforms after start-up. */
  posters: Partial<Record<Subscription['platform'], Poster>>;
  graceMs: number;
  batchSize: number;
  concurrency: number;
  retryDelaysMs: readonly number[];
  sleep: (ms: number) => Promise<void>;
  subscriptions: KeyValue<Subscription>;
  deliveries: KeyValue<Delivery>;
  queue: DueQueue;
  claims: Claims;
  rotation: TipRotation;
}

export function createReminderContext(deps: RemindersDeps): ReminderContext {
  const { composer, store, clock, logger } = deps;
  return {
    composer,
    clock,
    logger,
    posters: { ...deps.posters },
    graceMs: deps.graceMs ?? 3_600_000,
    batchSize: deps.batchSize ?? 500,
    concurrency: deps.concurrency ?? 32,
    retryDelaysMs: deps.retryDelaysMs ?? [2_000, 10_000],
    sleep: deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    subscriptions: store.namespace('reminder-subscriptions'),
    deliveries: store.namespace('reminder-deliveries'),
    queue: store.dueQueue('reminders'),
    claims: store.claims('reminder-slots'),
    rotation: createTipRotation(deps.content.tips, store),
  };
}
