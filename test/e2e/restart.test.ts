/**
 * "Restarts always come back": the real bot process, killed with SIGKILL and started again at
 * once on the same SQLite file (as a restart policy does), answers at once and keeps posting
 * reminders — the killed process's scheduler lease does not keep it out.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-api.ts';
import { textMessage } from '../fixtures/telegram-updates.ts';
import { freePort } from '../hardening/processes.ts';
import { subscribeInStore } from '../helpers/reminders.ts';

const REMINDER_CHAT = -4242;
const SECRET = 'restart-test-secret';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startBot(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'json', DISCORD_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, output: () => output };
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** A one-off slot at a whole UTC second: a six-field cron (seconds first) that next fires a year later. */
function cronAt(slot: Date) {
  const d = slot;
  const expression = `${d.getUTCSeconds()} ${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} *`;
  return { kind: 'cron' as const, expression, timezone: 'UTC' };
}

const postsTo = (fake: FakeTelegram, chat: number) =>
  fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === chat);

/** How a user's message reaches the bot: queued for getUpdates, or POSTed to the webhook as Telegram does (retried until accepted). */
type Deliver = (fake: FakeTelegram, text: string) => Promise<void>;

const modes: { mode: string; env: (port: number) => Record<string, string>; deliver: (port: number) => Deliver }[] = [
  { mode: 'polling', env: () => ({}), deliver: () => async (fake, text) => void fake.pushUpdate(textMessage(text)) },
  {
    mode: 'webhook',
    env: (port) => ({ TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`, TELEGRAM_WEBHOOK_SECRET: SECRET }),
    deliver: (port) => async (_fake, text) => {
      const body = JSON.stringify({ update_id: Date.now() % 1_000_000_000, ...textMessage(text) });
      const deadline = Date.now() + 5_000;
      for (;;) {
        const status = await fetch(`http://127.0.0.1:${port}/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body,
        }).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 200) return;
        if (Date.now() > deadline) throw new Error(`the webhook did not accept the update within 5 s (last status ${status})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  },
];

describe.each(modes)('a bot killed with SIGKILL and restarted at once on the same SQLite file ($mode)', ({ env, deliver }) => {
  it('answers a message within 5 s and posts the next reminder slot exactly once', { timeout: 30_000 }, async () => {
    const fake = await startFakeTelegram();
    cleanups.push(() => fake.close());
    const port = await freePort();
    const storeUrl = `sqlite://${join(mkdtempSync(join(tmpdir(), 'restart-')), 'bot.sqlite')}`;
    const botEnv = {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      STORE_URL: storeUrl,
      PORT: String(port),
      REMINDER_TICK_SECONDS: '1',
      ...env(port),
    };
    const send = deliver(port);

    const first = startBot(botEnv);
    await expect.poll(first.output, { timeout: 20_000, interval: 50 }).toContain('reminder scheduler started');
    await expect.poll(first.output, { timeout: 5_000, interval: 50 }).toContain('telegram: ready');
    // The next slot falls a few seconds after the restart below; the killed process never reaches it.
    const slot = new Date(Math.ceil((Date.now() + 4_000) / 1000) * 1000);
    await subscribeInStore(storeUrl, [String(REMINDER_CHAT)], Date.now(), cronAt(slot));
    await killed(first.child);

    const restartedAt = Date.now();
    const second = startBot(botEnv);
    const answersBefore = fake.sent('sendMessage').length;
    await send(fake, '這次柬埔寨警方抓了多少人?');
    await expect.poll(() => fake.sent('sendMessage').length, { timeout: 5_000, interval: 20 }).toBe(answersBefore + 1);
    expect(Date.now() - restartedAt).toBeLessThan(5_000);
    expect(String(fake.sent('sendMessage').at(-1)?.params.text)).toContain('數百名');

    await expect.poll(() => postsTo(fake, REMINDER_CHAT).length, { timeout: 10_000, interval: 50 }).toBe(1);
    const [post] = postsTo(fake, REMINDER_CHAT);
    expect(post?.at).toBeGreaterThanOrEqual(slot.getTime());
    expect(String(post?.params.text)).toContain('Anti-fraud reminder');
    // Two more ticks: still one post for that slot.
    await new Promise((r) => setTimeout(r, 2_200));
    expect(postsTo(fake, REMINDER_CHAT)).toHaveLength(1);

    expect(second.child.exitCode).toBeNull();
    expect(second.output()).toContain('took over the scheduler lease of a process no longer running');
    expect(second.output()).not.toContain('SCHEDULER_RUNNING_ELSEWHERE');
    expect(second.output()).not.toContain('standby');
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).not.toHaveProperty('info');
  });
});

describe('a bot started while another running bot holds the SQLite file', () => {
  it('answers messages, reports the scheduler on standby once (log and /readyz), and takes over when the other stops', {
    timeout: 30_000,
  }, async () => {
    const fake = await startFakeTelegram();
    cleanups.push(() => fake.close());
    const storeUrl = `sqlite://${join(mkdtempSync(join(tmpdir(), 'standby-')), 'bot.sqlite')}`;
    // The holder runs the scheduler only (no polling: one poller per token), posting through the Bot API.
    const holder = startBot({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      STORE_URL: storeUrl,
      PORT: '0',
      ROLES: 'scheduler',
    });
    await expect.poll(holder.output, { timeout: 20_000, interval: 50 }).toContain('reminder scheduler started');

    const port = await freePort();
    const standby = startBot({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      STORE_URL: storeUrl,
      PORT: String(port),
      REMINDER_TICK_SECONDS: '1',
    });
    fake.pushUpdate(textMessage('這次柬埔寨警方抓了多少人?'));
    await fake.waitFor('sendMessage', 1, 20_000);
    const held = `:${holder.child.pid}`;
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { info?: { scheduler?: string } };
    expect(body.info?.scheduler).toMatch(new RegExp(`^standby: lease held by .+${held}$`));
    // A few ticks on standby: said once.
    await new Promise((r) => setTimeout(r, 2_000));
    const standbyLines = standby
      .output()
      .split('\n')
      .filter((l) => l.includes('standby'));
    expect(standbyLines).toHaveLength(1);
    expect(JSON.parse(standbyLines[0] as string)).toMatchObject({ level: 40, holder: expect.stringMatching(new RegExp(`${held}$`)) });

    holder.child.kill('SIGTERM');
    await new Promise((r) => holder.child.once('exit', r));
    await expect.poll(standby.output, { timeout: 5_000, interval: 50 }).toContain('reminder scheduler started');
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).not.toHaveProperty('info');
    expect(standby.child.exitCode).toBeNull();
  });
});
