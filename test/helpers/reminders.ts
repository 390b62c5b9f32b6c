import { pino } from 'pino';
import { loadContent } from '../../src/content/load.ts';
import { ReplyComposer } from '../../src/qa/compose.ts';
import type { Schedule } from '../../src/reminders/schedule.ts';
import { createReminders } from '../../src/reminders/scheduler.ts';
import { openStore } from '../../src/store/store.ts';
import { testConvert } from './core.ts';

/** Daily 20:00 in Shanghai: 12:00 UTC. */
export const DAILY_20_SHANGHAI: Schedule = { kind: 'daily', time: '20:00', timezone: 'Asia/Shanghai' };

/**
 * Subscribes Telegram chats in the store at `url` as of `at`, then closes it: the state a bot
 * process, the CLI or a scheduler-only process then starts from.
 */
export async function subscribeInStore(
  url: string,
  chats: readonly string[],
  at: number,
  schedule: Schedule = DAILY_20_SHANGHAI,
): Promise<void> {
  const store = await openStore(url);
  const content = await loadContent('content', 'cambodia-scam-sweep');
  const reminders = createReminders({
    content,
    composer: new ReplyComposer(content, testConvert()),
    store,
    clock: { now: () => at },
    logger: pino({ level: 'silent' }),
  });
  for (const chat of chats) await reminders.subscribe('telegram', chat, schedule, 'en');
  await store.close();
}
