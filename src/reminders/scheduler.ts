import type { Content } from '../content/load.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../protocol/clock.ts';
import type { ChatEvent } from '../protocol/event.ts';
import type { Poster } from '../protocol/platform.ts';
import type { Reply } from '../protocol/reply.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import type { Store } from '../store/store.ts';
import type { Lang } from '../text/script.ts';
import { createReminderContext } from './context.ts';
import { tickDue } from './due-posts.ts';
import type { Schedule } from './schedule.ts';
import { listSubscriptions, migrateSubscription, previewReminder, subscribe, subscriptionStatus, unsubscribe } from './subscriptions.ts';

export interface Subscription {
  platform: ChatEvent['platform'];
  chatId: string;
  schedule: Schedule;
  lang: Lang;
  createdAt: number;
}

/**
 * Sends one reminder to a chat: 'gone' when the chat no longer takes messages (403, deleted
 * channel), `movedTo` when it has a new id (a Telegram group that became a supergroup).
 * Anything else it cannot deliver it throws, and the scheduler retries with backoff.
 */
export type { Poster } from '../protocol/platform.ts';

export interface TickReport {
  sent: number;
  skipped: number;
  removed: number;
  failed: number;
  claimedElsewhere: number;
  /** With dryRun: what would be posted, nothing claimed, sent or rescheduled. */
  planned: { chat: string; slot: string }[];
}

export interface TickOptions {
  /** Lists what is due without claiming, posting or rescheduling anything. */
  dryRun?: boolean;
  /** Once aborted, no new chat is started; posts already under way finish (graceful shutdown). */
  signal?: AbortSignal;
}

export interface Reminders {
  subscribe(platform: Subscription['platform'], chatId: string, schedule: Schedule, lang: Lang): Promise<{ next: Date }>;
  unsubscribe(platform: Subscription['platform'], chatId: string): Promise<boolean>;
  status(platform: Subscription['platform'], chatId: string): Promise<{ subscription: Subscription; next: Date } | undefined>;
  /** Every subscription with its next slot, soonest first (operators' list). */
  list(): Promise<{ subscription: Subscription; next: Date }[]>;
  /** A chat changed id (Telegram group → supergroup): its subscription and rotation move with it. */
  migrate(platform: Subscription['platform'], fromChatId: string, toChatId: string): Promise<void>;
  /** Posts every reminder due at `at` (default now) exactly once across processes. */
  tick(at?: Date, options?: TickOptions): Promise<TickReport>;
  /** The reminder a chat would get now (the `now` preview): the next tip of its rotation. */
  preview(platform: Subscription['platform'], chatId: string, lang: Lang): Promise<Reply>;
  /** Registers how reminders reach a platform's chats; due chats of a platform without one wait. */
  /** Posts of this platform go through this poster (the core attaches each platform's when it starts). */
  usePoster(platform: Subscription['platform'], poster: Poster): void;
}

export interface RemindersDeps {
  content: Content;
  composer: ReplyComposer;
  store: Store;
  clock: Clock;
  logger: Logger;
  posters?: Partial<Record<Subscription['platform'], Poster>>;
  /** A missed slot is still posted if it is at most this old (default 1 hour). */
  graceMs?: number;
  /** Chats read from the due queue at a time. */
  batchSize?: number;
  /** Posts under way at once; the platform's pacing decides the actual rate. */
  concurrency?: number;
  /** Waits before retrying a failed post (default 2 s, 10 s). */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

export function createReminders(deps: RemindersDeps): Reminders {
  const ctx = createReminderContext(deps);
  return {
    subscribe: (platform, chatId, schedule, lang) => subscribe(ctx, platform, chatId, schedule, lang),
    unsubscribe: (platform, chatId) => unsubscribe(ctx, platform, chatId),
    status: (platform, chatId) => subscriptionStatus(ctx, platform, chatId),
    list: () => listSubscriptions(ctx),
    migrate: (platform, fromChatId, toChatId) => migrateSubscription(ctx, platform, fromChatId, toChatId),
    preview: (platform, chatId, lang) => previewReminder(ctx, platform, chatId, lang),
    usePoster(platform, poster) {
      ctx.posters[platform] = poster;
    },
    tick: (at = new Date(ctx.clock.now()), options = {}) => tickDue(ctx, at, options),
  };
}
