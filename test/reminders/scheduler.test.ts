import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import type { Reply } from '../../src/protocol/reply.ts';
import { ReplyComposer } from '../../src/qa/compose.ts';
import { createReminders, type Poster } from '../../src/reminders/scheduler.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { manualClock, testConvert } from '../helpers/core.ts';

const DAILY_20_SHANGHAI = { kind: 'daily', time: '20:00', timezone: 'Asia/Shanghai' } as const; // 12:00 UTC
const redisUrl = inject('redisUrl');

/** Records posts; chats listed in `gone` answer as a removed bot would (403). */
function recordingPoster(gone: Set<string> = new Set()) {
  const posts: { chatId: string; reply: Reply }[] = [];
  const poster: Poster = {
    post: async (chatId, reply) => {
      if (gone.has(chatId)) return 'gone';
      posts.push({ chatId, reply });
      return 'sent';
    },
  };
  return { poster, posts };
}

async function reminders(store: Store, clock = manualClock(Date.parse('2026-11-28T10:00:00Z')), poster = recordingPoster()) {
  const content = await loadContent('content', 'cambodia-scam-sweep');
  const composer = new ReplyComposer(content, testConvert());
  const r = createReminders({
    content,
    composer,
    store,
    clock,
    logger: pino({ level: 'silent' }),
    posters: { telegram: poster.poster, discord: poster.poster },
  });
  return { r, clock, posts: poster.posts };
}

describe('reminder scheduler', () => {
  it("posts once at the slot, in the chat's language, with a cited tip", async () => {
    const store = await openStore('sqlite://:memory:');
    const { r, posts } = await reminders(store);
    const { next } = await r.subscribe('telegram', '-100123', DAILY_20_SHANGHAI, 'zh-Hans');
    expect(next.toISOString()).toBe('2026-11-28T12:00:00.000Z');
    expect((await r.tick(new Date('2026-11-28T11:59:00Z'))).sent).toBe(0);
    expect((await r.tick(new Date('2026-11-28T12:00:05Z'))).sent).toBe(1);
    expect((await r.tick(new Date('2026-11-28T12:00:30Z'))).sent).toBe(0);
    expect(posts[0]?.reply.lang).toBe('zh-Hans');
    expect(posts[0]?.reply.citations.length).toBeGreaterThan(0);
    expect((await r.tick(new Date('2026-11-29T12:00:01Z'))).sent).toBe(1);
    await store.close();
  });

  it('after downtime posts only the latest missed slot within the grace window, else skips; never a backlog', async () => {
    const store = await openStore('sqlite://:memory:');
    const { r, posts } = await reminders(store);
    await r.subscribe('telegram', '-1', DAILY_20_SHANGHAI, 'en');
    await r.subscribe('telegram', '-2', { kind: 'cron', expression: '*/10 * * * *', timezone: 'UTC' }, 'en');
    // Down from 10:00 to 12:40 UTC: chat -1's 12:00 slot is 40 min old (posted); chat -2 missed
    // fifteen 10-minute slots and gets one post, for 12:40.
    const report = await r.tick(new Date('2026-11-28T12:40:00Z'));
    expect(report.sent).toBe(2);
    expect(posts).toHaveLength(2);
    // Down for days: skipped, and the next slot is scheduled.
    const late = await r.tick(new Date('2026-12-02T15:00:00Z'));
    expect(late.skipped).toBe(1);
    expect(late.sent).toBe(1);
    await store.close();
  });

  it('a chat that removed the bot loses its subscription', async () => {
    const store = await openStore('sqlite://:memory:');
    const { r } = await reminders(store, undefined, recordingPoster(new Set(['-9'])));
    await r.subscribe('telegram', '-9', DAILY_20_SHANGHAI, 'en');
    expect((await r.tick(new Date('2026-11-28T12:00:01Z'))).removed).toBe(1);
    expect(await r.status('telegram', '-9')).toBeUndefined();
    await store.close();
  });

  it('a restart in the middle of a fan-out neither repeats nor loses a post (SQLite file)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'reminders-')), 'bot.sqlite');
    const first = await openStore(`sqlite://${file}`);
    const poster = recordingPoster();
    const a = await reminders(first, undefined, poster);
    for (let i = 0; i < 30; i++) await a.r.subscribe('telegram', `-${i}`, DAILY_20_SHANGHAI, 'en');
    // The first process is told to stop (SIGTERM) after 10 posts: chats already under way
    // finish, no new one starts. Then it exits and a second process takes over.
    const stop = new AbortController();
    const stopping: Poster = {
      post: async (chatId, reply) => {
        const outcome = await poster.poster.post(chatId, reply);
        if (poster.posts.length >= 10) stop.abort();
        return outcome;
      },
    };
    const partial = createReminders({ ...(await deps(first)), posters: { telegram: stopping }, concurrency: 4 });
    const firstReport = await partial.tick(new Date('2026-11-28T12:00:02Z'), { signal: stop.signal });
    expect(firstReport.sent).toBeGreaterThanOrEqual(10);
    expect(firstReport.sent).toBeLessThan(30);
    await first.close();
    const second = await openStore(`sqlite://${file}`);
    const b = await reminders(second, undefined, poster);
    await b.r.tick(new Date('2026-11-28T12:01:00Z'));
    await b.r.tick(new Date('2026-11-28T12:02:00Z'));
    expect(poster.posts.map((p) => p.chatId).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `-${i}`).sort());
    await second.close();
  });

  it.skipIf(!redisUrl)('two schedulers ticking the same slot on one Redis post exactly once per chat', async () => {
    const ns = `t${Date.now()}`;
    const url = `${redisUrl}`;
    const [s1, s2] = await Promise.all([openStore(url), openStore(url)]);
    const poster = recordingPoster();
    const one = await reminders(s1, undefined, poster);
    const two = await reminders(s2, undefined, poster);
    const chats = Array.from({ length: 40 }, (_, i) => `${ns}-${i}`);
    for (const chat of chats) await one.r.subscribe('discord', chat, DAILY_20_SHANGHAI, 'en');
    const at = new Date('2026-11-28T12:00:03Z');
    const [r1, r2] = await Promise.all([one.r.tick(at), two.r.tick(at)]);
    const mine = poster.posts.filter((p) => p.chatId.startsWith(ns));
    expect(mine).toHaveLength(40);
    expect(new Set(mine.map((p) => p.chatId)).size).toBe(40);
    expect(r1.sent + r2.sent).toBeGreaterThanOrEqual(40); // leftovers of an interrupted earlier run may also be due
    for (const chat of chats) await one.r.unsubscribe('discord', chat);
    await Promise.all([s1.close(), s2.close()]);
  });
});

async function deps(store: Store) {
  const content = await loadContent('content', 'cambodia-scam-sweep');
  return {
    content,
    composer: new ReplyComposer(content, testConvert()),
    store,
    clock: manualClock(Date.parse('2026-11-28T10:00:00Z')),
    logger: pino({ level: 'silent' }),
  };
}
