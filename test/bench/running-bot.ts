/**
 * Memory of the whole running bot as `npm start` runs it with both tokens (compiled, plain
 * node, the flags of npm start): Telegram long polling, the Discord gateway and the reminder
 * scheduler in one process, each platform on its fake (Telegram's in its own process). RSS is
 * read from /proc when idle after start-up, and after a burst of 300 Telegram updates from 100
 * chats plus 60 Discord slash commands.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Update } from 'grammy/types';
import { startFakeDiscord } from '../fakes/discord-server.ts';
import { chatInputCommand } from '../fixtures/discord-interactions.ts';
import { textMessage } from '../fixtures/telegram-updates.ts';
import { START_FLAGS } from './start-flags.ts';
import { startRemoteFake } from './telegram.ts';

const QUESTIONS = [
  '這次柬埔寨警方抓了多少人?',
  '中国提供了什么协助?',
  'What is the third recommendation?',
  '文章有哪些建議?',
  'Where were the compounds?',
];

function rssOf(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field: string) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1000);
  return { rss_mb: mb('VmRSS'), peak_rss_mb: mb('VmHWM') };
}

function burst(n: number, firstId: number): Update[] {
  return Array.from({ length: n }, (_, i) => {
    const from = { id: 300_000 + (i % 100), is_bot: false, first_name: 'U', username: `u${i % 100}`, language_code: 'en' };
    const message = textMessage(QUESTIONS[i % QUESTIONS.length] as string, {
      from,
      chat: { id: from.id, type: 'private', first_name: 'U' },
    });
    return { ...message, update_id: firstId + i } as Update;
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchRunningBot(updates = 300, interactions = 60) {
  const telegram = await startRemoteFake();
  const discord = await startFakeDiscord();
  const control = (path: string, body?: unknown) =>
    fetch(`${telegram.apiRoot}/__control/${path}`, body ? { method: 'POST', body: JSON.stringify(body) } : {}).then(
      (r) => r.json() as Promise<{ result?: number }>,
    );
  const sent = async () => (await control('count/sendMessage')).result ?? 0;
  const dir = mkdtempSync(join(tmpdir(), 'bench-running-'));
  const child = spawn(process.execPath, [...START_FLAGS, 'dist/adapters/main.js'], {
    env: {
      ...process.env,
      STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
      LOG_LEVEL: 'warn',
      ROLES: '',
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_RATE_CHAT_PER_SECOND: '1000',
      TELEGRAM_RATE_GLOBAL_PER_SECOND: '10000',
      TELEGRAM_RATE_GROUP_PER_MINUTE: '60000',
      DISCORD_TOKEN: discord.token,
      DISCORD_API_BASE: discord.apiBase,
      OPENAI_BASE_URL: '',
      PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await discord.waitForSession(20_000);
    await sleep(2000);
    const idle = rssOf(child.pid as number);
    const before = await sent();
    const burstStarted = performance.now();
    await control('push', burst(updates, 70_000_000));
    const records = [];
    for (let i = 0; i < interactions; i++) {
      records.push(discord.dispatchInteraction(chatInputCommand('ask', { question: QUESTIONS[i % QUESTIONS.length] as string })));
      await sleep(5);
    }
    const deadline = Date.now() + 60_000;
    while ((await sent()) < before + updates && Date.now() < deadline) await sleep(20);
    const burstMs = performance.now() - burstStarted;
    const acknowledged = (await Promise.allSettled(records.map((r) => discord.waitForCallback(r.id, 10_000)))).filter(
      (r) => r.status === 'fulfilled',
    ).length;
    await sleep(1000);
    return {
      roles: 'telegram,discord,scheduler',
      idle,
      after_burst: rssOf(child.pid as number),
      telegram_updates: updates,
      telegram_answered: (await sent()) - before,
      // With the Discord commands arriving meanwhile; for comparing node flags, not a throughput budget.
      burst_updates_per_s: Math.round((updates / burstMs) * 1000),
      discord_interactions: interactions,
      discord_acknowledged: acknowledged,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    telegram.child.kill('SIGTERM');
    await discord.close();
  }
}
