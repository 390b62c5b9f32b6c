import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openStore } from '../../src/store/store.ts';
import { startFakeTelegram } from '../fakes/telegram-api.ts';
import { textMessage } from '../fixtures/telegram-updates.ts';
import { subscribeInStore } from '../helpers/reminders.ts';
import { createTelegramHarness, sentTexts } from '../helpers/telegram.ts';
import type { HardeningCase } from './case.ts';
import { freePort, hasRedis, runScript, startRedis, startScript, stopProcess, tempDir, until } from './processes.ts';

const nonEmptyLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

/** One line on stderr, exit 1: what every start-up failure must look like. */
async function startupFails(env: Record<string, string>, pattern: RegExp): Promise<string> {
  const result = await runScript(['adapters/main.ts'], { TELEGRAM_BOT_TOKEN: '', DISCORD_TOKEN: '', ...env });
  expect(result.code).toBe(1);
  const lines = nonEmptyLines(result.stderr);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  return `exit 1: ${lines[0]?.slice(0, 90)}`;
}

const skipped = (why: string) => `not run here (${why}); passes vacuously`;

export const storeCases: HardeningCase[] = [
  {
    name: 'Redis down at start',
    expected: 'one line naming Redis and its address, exit 1',
    timeoutMs: 30_000,
    run: async () => {
      const port = await freePort();
      return startupFails(
        { STORE_URL: `redis://127.0.0.1:${port}` },
        new RegExp(`^STORE_UNAVAILABLE: cannot reach Redis at 127\\.0\\.0\\.1:${port}`),
      );
    },
  },
  {
    name: 'Redis password in STORE_URL while Redis is down',
    expected: 'the one error line does not show the password',
    timeoutMs: 30_000,
    run: async () => {
      const port = await freePort();
      const observed = await startupFails({ STORE_URL: `redis://bot:s3cret-pa55word@127.0.0.1:${port}` }, /^STORE_UNAVAILABLE: /);
      expect(observed).not.toContain('s3cret-pa55word');
      return observed;
    },
  },
  {
    name: 'Redis stops in the middle of replies, then returns',
    expected: 'still answered while it is down (the duplicate check skipped, with a warning), no crash; answers again once it is back',
    timeoutMs: 40_000,
    run: async () => {
      if (!hasRedis) return skipped('no redis-server');
      const port = await freePort();
      let redis = await startRedis(port);
      const fake = await startFakeTelegram();
      const store = await openStore(`redis://127.0.0.1:${port}`);
      try {
        const harness = await createTelegramHarness(fake, { store, logLevel: 'fatal' });
        await harness.deliver(textMessage('抓了多少人?'));
        await stopProcess(redis);
        const started = Date.now();
        await harness.deliver(textMessage('中國提供了什麼協助?'));
        const downMs = Date.now() - started;
        redis = await startRedis(port);
        await new Promise((r) => setTimeout(r, 2500));
        await harness.deliver(textMessage('What is the third recommendation?'));
        const [first, whileDown, after] = sentTexts(fake);
        expect(first).toMatch(/數百名|数百名/);
        expect(whileDown).toContain('[p5]');
        expect(whileDown).not.toMatch(/抱歉|Sorry/);
        expect(after).toContain('[rec3]');
        return `answered, answered while down in ${Math.round(downMs / 100) / 10} s, answered again`;
      } finally {
        await store.close().catch(() => undefined);
        await fake.close();
        await stopProcess(redis);
      }
    },
  },
  {
    name: 'SQLite file corrupt',
    expected: 'one line naming the file, exit 1',
    run: async () => {
      const file = join(tempDir('corrupt'), 'bot.sqlite');
      writeFileSync(file, 'this is not a database, just text that someone saved here '.repeat(100));
      return startupFails({ STORE_URL: `sqlite://${file}` }, /^STORE_UNAVAILABLE: cannot open the SQLite file .+bot\.sqlite/);
    },
  },
  {
    name: 'SQLite file read-only',
    expected: 'one line naming the file, exit 1',
    run: async () => {
      const dir = tempDir('readonly');
      const file = join(dir, 'bot.sqlite');
      const store = await openStore(`sqlite://${file}`);
      await store.close();
      // Immutable even for root (tests often run as root, for whom permissions mean nothing).
      if (spawnSync('chattr', ['+i', file]).status !== 0) return skipped('chattr +i not supported on this filesystem');
      try {
        return await startupFails({ STORE_URL: `sqlite://${file}` }, /^STORE_UNAVAILABLE: .+bot\.sqlite/);
      } finally {
        spawnSync('chattr', ['-i', file]);
      }
    },
  },
  {
    name: 'corrupt configuration: PORT=abc',
    expected: 'one line naming PORT, exit 1',
    run: () => startupFails({ PORT: 'abc' }, /^CONFIG_INVALID: PORT: /),
  },
  {
    name: 'corrupt configuration: STORE_URL=ftp://x',
    expected: 'one line naming STORE_URL, exit 1',
    run: () => startupFails({ STORE_URL: 'ftp://x' }, /^CONFIG_INVALID: STORE_URL: /),
  },
  {
    name: 'corrupt configuration: ROLES=everything',
    expected: 'one line naming ROLES, exit 1',
    run: () => startupFails({ ROLES: 'everything' }, /^CONFIG_INVALID: ROLES: /),
  },
  {
    name: 'corrupt configuration: .env is not a readable file',
    expected: 'one line naming .env, exit 1',
    run: async () => {
      const cwd = tempDir('dotenv');
      mkdirSync(join(cwd, '.env'));
      // Run from the folder whose .env is a directory.
      const inFolder = spawnSync(join(process.cwd(), 'node_modules/.bin/tsx'), [join(process.cwd(), 'adapters/main.ts')], {
        cwd,
        env: { ...process.env, CONTENT_DIR: join(process.cwd(), 'content'), TELEGRAM_BOT_TOKEN: '', DISCORD_TOKEN: '' },
        encoding: 'utf8',
        input: '',
        timeout: 30_000,
      });
      expect(inFolder.status).toBe(1);
      const lines = nonEmptyLines(inFolder.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^CONFIG_INVALID: \.env: cannot be read/);
      return `exit 1: ${lines[0]?.slice(0, 80)}`;
    },
  },
  {
    name: 'SIGKILL in the middle of a reminder fan-out, then restart',
    expected: 'no chat posted twice, no subscription lost; at most the posts under way are skipped',
    timeoutMs: 90_000,
    run: async () => {
      const fake = await startFakeTelegram();
      const storeUrl = `sqlite://${join(tempDir('fanout'), 'bot.sqlite')}`;
      const chats = Array.from({ length: 60 }, (_, i) => String(-100_000 - i));
      try {
        await subscribeInStore(storeUrl, chats, Date.parse('2026-11-28T10:00:00Z'));
        const env = { STORE_URL: storeUrl, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, REMINDER_CONCURRENCY: '4' };
        // Telegram is slow: the fan-out takes a while, and is killed part-way.
        fake.delay('sendMessage', 150);
        const first = startScript(['adapters/cli.ts', 'reminders', 'tick', '--at', '2026-11-28T12:00:30Z'], env);
        await until(
          () => fake.arrived('sendMessage'),
          (n) => n >= 20,
          30_000,
          '20 posts',
        );
        await stopProcess(first.child, 'SIGKILL');
        const arrivedAtKill = fake.arrived('sendMessage');
        fake.delay('sendMessage', 0);
        const second = await runScript(['adapters/cli.ts', 'reminders', 'tick', '--at', '2026-11-28T12:01:00Z'], env, {
          timeoutMs: 60_000,
        });
        expect(second.code).toBe(0);
        // Every request Telegram received counts as a post, answered or not.
        const perChat = new Map<string, number>();
        for (const call of fake.calls.filter((c) => c.method === 'sendMessage'))
          perChat.set(String(call.params.chat_id), (perChat.get(String(call.params.chat_id)) ?? 0) + 1);
        expect([...perChat.values()].every((n) => n === 1)).toBe(true);
        const skippedPosts = chats.length - perChat.size;
        expect(skippedPosts).toBeLessThanOrEqual(4);
        const list = await runScript(['adapters/cli.ts', 'reminders', 'list'], env);
        expect(nonEmptyLines(list.stdout)).toHaveLength(chats.length);
        return `${arrivedAtKill} posted before the kill, ${perChat.size}/${chats.length} chats once each, ${skippedPosts} in-flight skipped, 60 subscriptions kept`;
      } finally {
        await fake.close();
      }
    },
  },
  {
    name: 'reminders tick while a running bot holds the SQLite file',
    expected: 'the one-shot tick refuses with one line naming the holder; the bot keeps its lease',
    timeoutMs: 40_000,
    run: async () => {
      const fake = await startFakeTelegram();
      const storeUrl = `sqlite://${join(tempDir('lease'), 'bot.sqlite')}`;
      const env = { STORE_URL: storeUrl, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot };
      const first = startScript(['adapters/main.ts'], env);
      try {
        await until(
          () => first.output(),
          (out) => out.includes('reminder scheduler started'),
          20_000,
          'the scheduler to start',
        );
        const second = await runScript(['adapters/cli.ts', 'reminders', 'tick', '--at', '2026-11-28T12:00:30Z'], env);
        expect(second.code).toBe(1);
        expect(nonEmptyLines(second.stderr)).toEqual([
          expect.stringMatching(
            /^SCHEDULER_RUNNING_ELSEWHERE: another process already runs the reminder scheduler on .+ \(.+:\d+, still running\)/,
          ),
        ]);
        return 'second refused in one line';
      } finally {
        await stopProcess(first.child, 'SIGTERM');
        await fake.close();
      }
    },
  },
];
