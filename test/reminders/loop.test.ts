import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { BotError } from '../../src/errors.ts';
import { ReplyComposer } from '../../src/qa/compose.ts';
import { startReminderLoop } from '../../src/reminders/loop.ts';
import { createReminders, type Poster } from '../../src/reminders/scheduler.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { testConvert } from '../helpers/core.ts';

const redisUrl = inject('redisUrl');
const logger = pino({ level: 'silent' });

async function remindersOn(store: Store, posted: string[]) {
  const content = await loadContent('content', 'cambodia-scam-sweep');
  const poster: Poster = {
    post: async (chatId) => {
      posted.push(chatId);
      return 'sent';
    },
  };
  // "Now" is a minute after the slot, so the subscription made below is due at once.
  const clock = { now: () => Date.parse('2026-11-28T12:01:00Z') };
  const reminders = createReminders({
    content,
    composer: new ReplyComposer(content, testConvert()),
    store,
    clock,
    logger,
    posters: { telegram: poster },
  });
  return { reminders, now: () => new Date(clock.now()) };
}

describe('the reminder loop', () => {
  it('ticks on its own, and a second scheduler on the same SQLite file refuses to start until the first stops', async () => {
    const url = `sqlite://${join(mkdtempSync(join(tmpdir(), 'loop-')), 'bot.sqlite')}`;
    const [first, second] = [await openStore(url), await openStore(url)];
    const posted: string[] = [];
    const one = await remindersOn(first, posted);
    await one.reminders.subscribe('telegram', '-1', { kind: 'daily', time: '20:00', timezone: 'Asia/Shanghai' }, 'en');
    // Subscribed "at" 12:01 the next slot is tomorrow; put it back to today's 12:00 slot.
    await first.dueQueue('reminders').put('telegram:-1', Date.parse('2026-11-28T12:00:00Z'));
    const loop = await startReminderLoop({ reminders: one.reminders, store: first, logger, tickMs: 30, now: one.now });
    await expect.poll(() => posted, { timeout: 2000 }).toEqual(['-1']);

    const two = await remindersOn(second, posted);
    const refused = await startReminderLoop({ reminders: two.reminders, store: second, logger, tickMs: 30, now: two.now }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(BotError);
    expect((refused as BotError).code).toBe('SCHEDULER_RUNNING_ELSEWHERE');
    expect((refused as Error).message).toMatch(/SQLite store serves one process/);

    await loop.stop();
    const taken = await startReminderLoop({ reminders: two.reminders, store: second, logger, tickMs: 30, now: two.now });
    await new Promise((r) => setTimeout(r, 100));
    await taken.stop();
    expect(posted).toEqual(['-1']);
    await Promise.all([first.close(), second.close()]);
  });

  it.skipIf(!redisUrl)('several schedulers may share Redis (slot claims keep posts single)', async () => {
    const [a, b] = [await openStore(redisUrl), await openStore(redisUrl)];
    const posted: string[] = [];
    const loops = await Promise.all(
      [a, b].map(async (store) => {
        const { reminders, now } = await remindersOn(store, posted);
        return startReminderLoop({ reminders, store, logger, tickMs: 30, now });
      }),
    );
    await Promise.all(loops.map((l) => l.stop()));
    await Promise.all([a.close(), b.close()]);
  });
});
