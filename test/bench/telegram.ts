/**
 * Updates per second end to end through grammY against the fake Bot API (real HTTP, the fake
 * in its own process as Telegram is remote): the bot next to a bare grammY echo bot in the
 * same run; and the RSS of the bot started as `npm start` starts it (compiled, long polling).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { openStore } from '../../src/store/store.ts';
import type { FakeTelegram } from '../fakes/telegram-api.ts';
import { textMessage } from '../fixtures/telegram-updates.ts';
import { createTelegramHarness } from '../helpers/telegram.ts';
import { START_FLAGS } from './start-flags.ts';

const QUESTIONS = [
  '這次柬埔寨警方抓了多少人?',
  '中国提供了什么协助?',
  'What is the third recommendation?',
  '文章有哪些建議?',
  'Where were the compounds?',
];

function updates(n: number, startId: number): Update[] {
  return Array.from({ length: n }, (_, i) => {
    const from = { id: 100_000 + (i % 100), is_bot: false, first_name: 'U', username: `u${i % 100}`, language_code: 'en' };
    const base = textMessage(QUESTIONS[i % QUESTIONS.length] as string, { from, chat: { id: from.id, type: 'private', first_name: 'U' } });
    return { ...base, update_id: startId + i } as Update;
  });
}

/** Delivers updates with bounded concurrency, as the runner does across chats. */
async function throughput(handle: (u: Update) => Promise<void>, batch: Update[], concurrency = 16): Promise<number> {
  const queue = [...batch];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let u = queue.shift(); u; u = queue.shift()) await handle(u);
    }),
  );
  return Math.round((batch.length / (performance.now() - started)) * 1000);
}

export async function startRemoteFake(): Promise<{ apiRoot: string; token: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/fake-telegram-process.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await createInterface({ input: child.stdout as NonNullable<typeof child.stdout> })
    [Symbol.asyncIterator]()
    .next()
    .then((r) => [r.value as string]);
  return { ...(JSON.parse(line ?? '{}') as { apiRoot: string; token: string }), child };
}

export async function benchTelegram(n = 600) {
  const remote = await startRemoteFake();
  // The harness needs only the fake's address and token.
  const fake = { apiRoot: remote.apiRoot, token: remote.token } as FakeTelegram;
  const echo = new Bot(remote.token, { client: { apiRoot: remote.apiRoot } });
  echo.on('message:text', (ctx) => ctx.reply(ctx.message.text));
  await echo.init();
  // Logging as in production (info): debug lines cost time the echo bot does not spend.
  // Pacing limits far above what is measured: this measures handling, not Telegram's caps.
  // The store as `npm start` has it: a SQLite file.
  const store = await openStore(`sqlite://${join(mkdtempSync(join(tmpdir(), 'bench-tg-store-')), 'bot.sqlite')}`);
  const harness = await createTelegramHarness(fake, {
    logLevel: 'info',
    store,
    env: { TELEGRAM_RATE_GLOBAL_PER_SECOND: '1000000', TELEGRAM_RATE_CHAT_PER_SECOND: '1000000' },
  });

  // Warm both well (JIT, keep-alive sockets: either bot's rate still rises over its first few
  // thousand updates), then alternate rounds so neither gets a quieter machine.
  for (let warm = 0; warm < 6; warm++) {
    await throughput((u) => echo.handleUpdate(u), updates(n, 10_000_000 + warm * n));
    await throughput((u) => harness.bot.handleUpdate(u), updates(n, 20_000_000 + warm * n));
  }
  const echoRates: number[] = [];
  const botRates: number[] = [];
  // Each round measures both back to back; the ratio is the median of the rounds' ratios, so a
  // machine that speeds up or slows down between rounds (shared CPUs) does not skew it.
  const ratios: number[] = [];
  for (let round = 0; round < 11; round++) {
    echoRates.push(await throughput((u) => echo.handleUpdate(u), updates(n, 100_000 * (round + 1))));
    botRates.push(await throughput((u) => harness.bot.handleUpdate(u), updates(n, 1_000_000 * (round + 1))));
    ratios.push((botRates.at(-1) as number) / (echoRates.at(-1) as number));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  await store.close();
  const rss = await botProcessRss(remote, 500);
  remote.child.kill('SIGTERM');
  return {
    updates_per_round: n,
    echo_bot_updates_per_s: median(echoRates),
    bot_updates_per_s: median(botRates),
    ratio: Math.round(median(ratios) * 100) / 100,
    round_ratios: ratios.map((r) => Math.round(r * 100) / 100),
    bot_process: rss,
  };
}

async function botProcessRss(remote: { apiRoot: string; token: string }, count: number) {
  const control = (path: string, body?: unknown) =>
    fetch(`${remote.apiRoot}/__control/${path}`, body ? { method: 'POST', body: JSON.stringify(body) } : {}).then(
      (r) => r.json() as Promise<{ result?: number }>,
    );
  const sentCount = async () => (await control('count/sendMessage')).result ?? 0;
  const dir = mkdtempSync(join(tmpdir(), 'bench-tg-'));
  const child = spawn(process.execPath, [...START_FLAGS, 'dist/adapters/main.js'], {
    env: {
      ...process.env,
      STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
      LOG_LEVEL: 'warn',
      TELEGRAM_BOT_TOKEN: remote.token,
      TELEGRAM_API_ROOT: remote.apiRoot,
      TELEGRAM_RATE_CHAT_PER_SECOND: '1000',
      TELEGRAM_RATE_GLOBAL_PER_SECOND: '10000',
      TELEGRAM_RATE_GROUP_PER_MINUTE: '60000',
      PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const before = await sentCount();
  await new Promise((r) => setTimeout(r, 1500));
  await control('push', updates(count, 50_000_000));
  const deadline = Date.now() + 60_000;
  while ((await sentCount()) < before + count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  const answered = (await sentCount()) - before;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { updates: count, answered, peak_rss_mb: Math.round(kb('VmHWM') / 1000), rss_mb: Math.round(kb('VmRSS') / 1000) };
}
