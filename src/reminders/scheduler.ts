import type { Content } from '../content/load.ts';
import type { Tip } from '../content/schema.ts';
import type { Clock } from '../core/ports.ts';
import type { ChatEvent, Reply } from '../core/types.ts';
import type { Logger } from '../logger.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import type { KeyValue, Store } from '../store/store.ts';
import type { Lang } from '../text/script.ts';
import { createTipRotation } from './rotation.ts';
import { latestSlotWithin, nextSlot, type Schedule } from './schedule.ts';

export interface Subscription {
  platform: ChatEvent['platform'];
  chatId: string;
  schedule: Schedule;
  lang: Lang;
  createdAt: number;
}

/** Sends one reminder to a chat; 'gone' when the chat no longer takes messages (403, deleted). */
export interface Poster {
  post(chatId: string, reply: Reply): Promise<'sent' | 'gone'>;
}

export interface TickReport {
  sent: number;
  skipped: number;
  removed: number;
  claimedElsewhere: number;
}

export interface Reminders {
  subscribe(platform: Subscription['platform'], chatId: string, schedule: Schedule, lang: Lang): Promise<{ next: Date }>;
  unsubscribe(platform: Subscription['platform'], chatId: string): Promise<boolean>;
  status(platform: Subscription['platform'], chatId: string): Promise<{ subscription: Subscription; next: Date } | undefined>;
  /** Posts every reminder due at `at` (default now) exactly once across processes. */
  tick(at?: Date): Promise<TickReport>;
  /** The reminder a chat would get now (the `now` preview): the next tip of its rotation. */
  preview(platform: Subscription['platform'], chatId: string, lang: Lang): Promise<Reply>;
}

export interface RemindersDeps {
  content: Content;
  composer: ReplyComposer;
  store: Store;
  clock: Clock;
  logger: Logger;
  posters: Partial<Record<Subscription['platform'], Poster>>;
  /** A missed slot is still posted if it is at most this old (default 1 hour). */
  graceMs?: number;
  /** Chats handled per tick batch. */
  batchSize?: number;
}

const CLAIM_TTL_MS = 7 * 24 * 3_600_000;

export function createReminders(deps: RemindersDeps): Reminders {
  const { composer, store, clock, logger, posters } = deps;
  const graceMs = deps.graceMs ?? 3_600_000;
  const batchSize = deps.batchSize ?? 500;
  const subscriptions: KeyValue<Subscription> = store.namespace('reminder-subscriptions');
  const deliveries: KeyValue<{ tip: string; at: number; outcome: string }> = store.namespace('reminder-deliveries');
  const queue = store.dueQueue('reminders');
  const claims = store.claims('reminder-slots');
  const rotation = createTipRotation(deps.content.tips, store);
  const keyOf = (platform: string, chatId: string) => `${platform}:${chatId}`;

  const tipReply = (tip: Tip, lang: Lang): Reply => ({
    kind: 'answer',
    lang,
    blocks: [{ type: 'paragraph', text: tip.text[lang] }, ...tip.citations.slice(0, 1).map((c) => composer.quoteBlock(c, lang))],
    citations: composer.citations(tip.citations, lang),
    suggestions: composer.defaultSuggestions(lang),
    source: 'offline',
  });

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
      await Promise.all([subscriptions.delete(key), queue.remove(key)]);
      return existed;
    },

    async status(platform, chatId) {
      const subscription = await subscriptions.get(keyOf(platform, chatId));
      return subscription ? { subscription, next: nextSlot(subscription.schedule, new Date(clock.now())) } : undefined;
    },

    async preview(platform, chatId, lang) {
      return tipReply(await rotation.next(keyOf(platform, chatId)), lang);
    },

    async tick(at = new Date(clock.now())) {
      const report: TickReport = { sent: 0, skipped: 0, removed: 0, claimedElsewhere: 0 };
      const due = await queue.due(at.getTime(), batchSize);
      for (const { member: key, dueAt } of due) {
        const subscription = await subscriptions.get(key);
        if (!subscription) {
          await queue.remove(key);
          continue;
        }
        // Down for a while: only the latest missed slot, and only within the grace window.
        const slot = at.getTime() - dueAt <= graceMs ? new Date(dueAt) : latestSlotWithin(subscription.schedule, at, graceMs);
        await queue.put(key, nextSlot(subscription.schedule, at).getTime());
        if (!slot) {
          report.skipped++;
          logger.info({ chat: key, missed: new Date(dueAt).toISOString() }, 'reminder: slot missed beyond the grace window; skipped');
          continue;
        }
        const slotKey = `${key}:${slot.toISOString()}`;
        if (!(await claims.claim(slotKey, CLAIM_TTL_MS))) {
          report.claimedElsewhere++;
          continue;
        }
        const poster = posters[subscription.platform];
        if (!poster) continue;
        const tip = await rotation.next(key);
        const outcome = await poster.post(subscription.chatId, tipReply(tip, subscription.lang));
        await deliveries.set(slotKey, { tip: tip.id, at: clock.now(), outcome }, CLAIM_TTL_MS);
        if (outcome === 'gone') {
          await Promise.all([subscriptions.delete(key), queue.remove(key)]);
          report.removed++;
          logger.info({ chat: key }, 'reminder: chat no longer reachable; subscription removed');
        } else {
          report.sent++;
        }
      }
      return report;
    },
  };
}
