/**
 * Reminder fan-out: 10,000 subscribed chats due at one slot, posted through the real Telegram
 * poster (grammY Api, auto-retry, pacer) to the fake Bot API in its own process, which enforces
 * a global rate limit with 429s as Telegram does. The limit is scaled up to keep the run short;
 * the pacer reads the same figure from configuration (TELEGRAM_RATE_GLOBAL_PER_SECOND).
 * Also the scheduler's own cost per due chat, with a poster that does nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createTelegramApi } from '../../adapters/telegram/api.ts';
import { createTelegramHttp } from '../../adapters/telegram/api-fetch.ts';
import { createTelegramPoster } from '../../adapters/telegram/poster.ts';
import { createTelegramSenderFor } from '../../adapters/telegram/send.ts';
import { parseConfig } from '../../src/config.ts';
import { loadContent } from '../../src/content/load.ts';
import { ReplyComposer } from '../../src/qa/compose.ts';
import { createReminders, type Poster } from '../../src/reminders/scheduler.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { testConvert } from '../helpers/core.ts';
import { startRemoteFake } from './telegram.ts';

const SLOT = Date.parse('2026-11-28T12:00:00Z'); // 20:00 Asia/Shanghai
const DAILY = { kind: 'daily', time: '20:00', timezone: 'Asia/Shanghai' } as const;

async function subscribed(store: Store, chats: number, poster: Poster, concurrency: number) {
  const content = await loadContent('content', 'cambodia-scam-sweep');
  const reminders = createReminders({
    content,
    composer: new ReplyComposer(content, testConvert()),
    store,
    clock: { now: () => SLOT - 3_600_000 },
    logger: pino({ level: 'silent' }),
    posters: { telegram: poster },
    concurrency,
  });
  for (let i = 0; i < chats; i++)
    await reminders.subscribe('telegram', String(-1_000_000_000_000 - i), DAILY, i % 3 === 0 ? 'en' : 'zh-Hant');
  return reminders;
}

export async function benchReminders(chats = 10_000, limitPerSecond = 1_000) {
  // The scheduler alone: a poster that returns at once.
  const quietStore = await openStore(`sqlite://${join(mkdtempSync(join(tmpdir(), 'bench-rem-')), 'quiet.sqlite')}`);
  const quiet = await subscribed(quietStore, chats, { post: async () => 'sent' }, 32);
  let started = performance.now();
  const quietReport = await quiet.tick(new Date(SLOT + 1000));
  const overheadMs = (performance.now() - started) / chats;
  await quietStore.close();

  // Through the Bot API at the enforced limit.
  const remote = await startRemoteFake();
  await fetch(`${remote.apiRoot}/__control/limit/${limitPerSecond}`);
  const config = parseConfig({
    TELEGRAM_BOT_TOKEN: remote.token,
    TELEGRAM_API_ROOT: remote.apiRoot,
    TELEGRAM_RATE_GLOBAL_PER_SECOND: String(limitPerSecond),
  });
  const logger = pino({ level: 'silent' });
  const store = await openStore(`sqlite://${join(mkdtempSync(join(tmpdir(), 'bench-rem-')), 'bot.sqlite')}`);
  const http = createTelegramHttp();
  const api = createTelegramApi(remote.token, config.telegram, logger, http);
  const content = await loadContent('content', 'cambodia-scam-sweep');
  const poster = createTelegramPoster(createTelegramSenderFor(api, new ReplyComposer(content, testConvert()), store, logger));
  const reminders = await subscribed(store, chats, poster, config.reminders.concurrency);
  started = performance.now();
  const report = await reminders.tick(new Date(SLOT + 1000));
  const seconds = (performance.now() - started) / 1000;
  const stats = (await (await fetch(`${remote.apiRoot}/__control/stats`)).json()) as {
    result: { sent: number; rejected: number; chats: number; first: number; last: number };
  };
  await http.close();
  await store.close();
  remote.child.kill('SIGTERM');
  const { sent, rejected, chats: reached, first, last } = stats.result;
  // The rate over the posting itself (first to last message), and over the whole tick.
  const achieved = sent / ((last - first) / 1000 || 1);
  return {
    subscriptions: chats,
    enforced_limit_per_s: limitPerSecond,
    delivered: sent,
    distinct_chats: reached,
    duplicates: sent - reached,
    lost: chats - reached,
    http_429_received_and_retried: rejected,
    report: { sent: report.sent, failed: report.failed, removed: report.removed },
    achieved_per_s: Math.round(achieved),
    tick_seconds: Math.round(seconds * 10) / 10,
    ratio_to_limit: Math.round((achieved / limitPerSecond) * 100) / 100,
    scheduler_overhead_ms_per_due_chat: Math.round(overheadMs * 1000) / 1000,
    scheduler_only_sent: quietReport.sent,
  };
}
