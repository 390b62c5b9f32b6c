import type { Content } from '../content/load.ts';
import type { Tip } from '../content/schema.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../protocol/clock.ts';
import type { ChatEvent } from '../protocol/event.ts';
import type { Reply } from '../protocol/reply.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import type { KeyValue, Store } from '../store/store.ts';
import type { Lang } from '../text/script.ts';
import { mapBounded, withRetries } from './fan-out.ts';
import { createTipRotation } from './rotation.ts';
import { latestSlotWithin, nextSlot, type Schedule } from './schedule.ts';

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
export interface Poster {
  post(chatId: string, reply: Reply): Promise<'sent' | 'gone' | { movedTo: string }>;
}

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

/** A claimed slot stays claimed this long: far longer than any slot can stay due. */
const CLAIM_TTL_MS = 7 * 24 * 3_600_000;

export function createReminders(deps: RemindersDeps): Reminders {
  const { composer, store, clock, logger } = deps;
  const posters: Partial<Record<Subscription['platform'], Poster>> = { ...deps.posters };
  const graceMs = deps.graceMs ?? 3_600_000;
  const batchSize = deps.batchSize ?? 500;
  const concurrency = deps.concurrency ?? 32;
  const retryDelaysMs = deps.retryDelaysMs ?? [2_000, 10_000];
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const subscriptions: KeyValue<Subscription> = store.namespace('reminder-subscriptions');
  const deliveries: KeyValue<{ tip: string; at: number; outcome: string }> = store.namespace('reminder-deliveries');
  const queue = store.dueQueue('reminders');
  const claims = store.claims('reminder-slots');
  const rotation = createTipRotation(deps.content.tips, store);
  const keyOf = (platform: string, chatId: string) => `${platform}:${chatId}`;

  const tipReply = (tip: Tip, lang: Lang): Reply => ({
    kind: 'answer',
    lang,
    blocks: [
      { type: 'heading', text: composer.text('reminderHeading', lang) },
      { type: 'paragraph', text: tip.text[lang] },
      ...tip.citations.slice(0, 1).map((c) => composer.quoteBlock(c, lang)),
    ],
    citations: composer.citations(tip.citations, lang),
    suggestions: composer.defaultSuggestions(lang),
    source: 'offline',
  });

  const remove = async (key: string) => {
    await Promise.all([subscriptions.delete(key), queue.remove(key)]);
  };

  /** One due chat: reschedule, claim the slot, post the next tip, record the delivery. */
  async function processDue(key: string, dueAt: number, at: Date, report: TickReport, dryRun: boolean): Promise<void> {
    const subscription = await subscriptions.get(key);
    if (!subscription) {
      if (!dryRun) await queue.remove(key);
      return;
    }
    // Down for a while: only the latest missed slot, and only within the grace window.
    const slot = at.getTime() - dueAt <= graceMs ? new Date(dueAt) : latestSlotWithin(subscription.schedule, at, graceMs);
    if (dryRun) {
      if (slot) report.planned.push({ chat: key, slot: slot.toISOString() });
      else report.skipped++;
      return;
    }
    await queue.put(key, nextSlot(subscription.schedule, at).getTime());
    if (!slot) {
      report.skipped++;
      logger.info({ chat: key, missed: new Date(dueAt).toISOString() }, 'reminder: slot missed beyond the grace window; skipped');
      return;
    }
    const poster = posters[subscription.platform];
    if (!poster) {
      // This process does not run that platform: leave the slot to one that does.
      await queue.put(key, dueAt);
      return;
    }
    const slotKey = `${key}:${slot.toISOString()}`;
    // At most once: a crash between this claim and the post loses that one slot, never repeats it.
    if (!(await claims.claim(slotKey, CLAIM_TTL_MS))) {
      report.claimedElsewhere++;
      return;
    }
    const tip = await rotation.next(key);
    const reply = tipReply(tip, subscription.lang);
    const outcome = await withRetries(
      () => poster.post(subscription.chatId, reply),
      retryDelaysMs,
      sleep,
      (error, attempt) => logger.warn({ chat: key, attempt, err: error }, 'reminder: post failed; retrying'),
    ).catch((error: unknown) => {
      logger.error({ chat: key, err: error }, 'reminder: post failed after retries; this slot is skipped');
      return 'failed' as const;
    });
    await deliveries.set(slotKey, { tip: tip.id, at: clock.now(), outcome: typeof outcome === 'string' ? outcome : 'moved' }, CLAIM_TTL_MS);
    if (outcome === 'failed') {
      report.failed++;
    } else if (outcome === 'gone') {
      await remove(key);
      report.removed++;
      logger.info({ chat: key }, 'reminder: chat no longer reachable; subscription removed');
    } else if (typeof outcome === 'object') {
      // The new id's next slot comes after this one: the post below is this slot's.
      await migrate(subscription.platform, subscription.chatId, outcome.movedTo, at);
      const moved = await poster.post(outcome.movedTo, reply).catch(() => 'failed' as const);
      if (moved === 'sent') report.sent++;
      else report.failed++;
    } else {
      report.sent++;
    }
  }

  async function migrate(
    platform: Subscription['platform'],
    fromChatId: string,
    toChatId: string,
    after = new Date(clock.now()),
  ): Promise<void> {
    const from = keyOf(platform, fromChatId);
    const to = keyOf(platform, toChatId);
    const subscription = await subscriptions.get(from);
    if (!subscription) return;
    await subscriptions.set(to, { ...subscription, chatId: toChatId });
    await queue.put(to, nextSlot(subscription.schedule, after).getTime());
    await remove(from);
    logger.info({ from, to }, 'reminder: subscription moved to the chat’s new id');
  }

  return {
    async subscribe(platform, chatId, schedule, lang) {
      const key = keyOf(platform, chatId);
      const next = nextSlot(schedule, new Date(clock.now()));
      await subscriptions.set(key, { platform, chatId, schedule, lang, createdAt: clock.now() });
      await queue.put(key, next.getTime());
      return { next };
    },

    async unsubscribe(platform, chatId) {
      const key = keyOf(platform, chatId);
      const existed = (await subscriptions.get(key)) !== undefined;
      await remove(key);
      return existed;
    },

    async status(platform, chatId) {
      const subscription = await subscriptions.get(keyOf(platform, chatId));
      return subscription ? { subscription, next: nextSlot(subscription.schedule, new Date(clock.now())) } : undefined;
    },

    async list() {
      const entries = await queue.all();
      const listed = await Promise.all(
        entries.map(async ({ member, dueAt }) => {
          const subscription = await subscriptions.get(member);
          return subscription ? { subscription, next: new Date(dueAt) } : undefined;
        }),
      );
      return listed.filter((e) => e !== undefined);
    },

    migrate,

    async preview(platform, chatId, lang) {
      return tipReply(await rotation.next(keyOf(platform, chatId)), lang);
    },

    usePoster(platform, poster) {
      posters[platform] = poster;
    },

    async tick(at = new Date(clock.now()), options = {}) {
      const report: TickReport = { sent: 0, skipped: 0, removed: 0, failed: 0, claimedElsewhere: 0, planned: [] };
      const dryRun = options.dryRun ?? false;
      const seen = new Set<string>();
      // Batch after batch until nothing is due: each processed chat moves to its next slot, so
      // the queue shrinks (a dry run, which moves nothing, reads everything due in one go).
      for (;;) {
        if (options.signal?.aborted) break;
        const due = (await queue.due(at.getTime(), dryRun ? Number.MAX_SAFE_INTEGER : batchSize)).filter((d) => !seen.has(d.member));
        if (due.length === 0) break;
        for (const d of due) seen.add(d.member);
        await mapBounded(due, concurrency, options.signal, (d) => processDue(d.member, d.dueAt, at, report, dryRun));
        if (dryRun) break;
      }
      return report;
    },
  };
}
