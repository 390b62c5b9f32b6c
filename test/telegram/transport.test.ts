import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookListener } from '../../adapters/telegram/transport.ts';
import { type FakeChatCompletions, modelAnswer, startFakeChatCompletions } from '../fakes/chat-completions-server.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-api.ts';
import { textMessage } from '../fixtures/telegram-updates.ts';
import { createLlmCore } from '../helpers/llm-core.ts';
import { createTelegramHarness } from '../helpers/telegram.ts';

let fake: FakeTelegram;
let llm: FakeChatCompletions;
const cleanups: (() => unknown)[] = [];
beforeEach(async () => {
  fake = await startFakeTelegram();
  llm = await startFakeChatCompletions();
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await fake.close();
  await llm.close();
});

async function webhookServer(secret: string) {
  const { core } = await createLlmCore(llm, { LLM_TIMEOUT_MS: '5000' });
  const harness = await createTelegramHarness(fake, { core });
  const listener = createWebhookListener(harness.bot, { path: '/telegram', secret, logger: pino({ level: 'silent' }) });
  const server: Server = createServer((req, res) => void listener(req, res).then((handled) => handled || res.writeHead(404).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`;
  const post = (body: unknown, token: string | undefined) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'x-telegram-bot-api-secret-token': token } : {}) },
      body: JSON.stringify(body),
    });
  return { post };
}

describe('webhook mode', () => {
  it('refuses a wrong or missing secret with 401 and does not process the update', async () => {
    const { post } = await webhookServer('s3cret-token');
    expect((await post({ update_id: 1, ...textMessage('抓了多少人?') }, 'wrong')).status).toBe(401);
    expect((await post({ update_id: 2, ...textMessage('抓了多少人?') }, undefined)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.calls).toEqual(fake.calls.filter((c) => c.method === 'getMe'));
  });

  it('answers Telegram at once while a slow LLM answer is produced, showing typing meanwhile', async () => {
    const { post } = await webhookServer('s3cret-token');
    llm.script({
      delayMs: 1500,
      content: modelAnswer(
        'According to the article, Cambodia became a hotspot because of its geographical location, economic conditions and policy environment.',
        [{ block: 'p2', quote: '由于其地理位置' }],
      ),
    });
    const started = Date.now();
    const response = await post(
      { update_id: 10, ...textMessage('Explain simply why Cambodia became a hotspot for scam compounds') },
      's3cret-token',
    );
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(500);
    const [typing] = await fake.waitFor('sendChatAction');
    expect(typing?.params.action).toBe('typing');
    const [message] = await fake.waitFor('sendMessage');
    expect(String(message?.params.text)).toContain('Generated automatically');
    expect((message?.at ?? 0) - started).toBeGreaterThanOrEqual(1400);
  });

  it('a re-delivered update is answered once', async () => {
    const { post } = await webhookServer('s3cret-token');
    const update = { update_id: 77, ...textMessage('抓了多少人?') };
    await post(update, 's3cret-token');
    await post(update, 's3cret-token');
    await fake.waitFor('sendMessage');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.sent('sendMessage')).toHaveLength(1);
  });
});

function startBot(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'tg-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
    env: {
      ...process.env,
      STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      DISCORD_TOKEN: '',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, output: () => output };
}

describe('started the way npm start does', () => {
  it('long-polls the Bot API at TELEGRAM_API_ROOT, answers, and stops cleanly on SIGTERM', async () => {
    const { child, output } = startBot({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });
    await fake.waitFor('deleteWebhook', 1, 20_000);
    expect(fake.sent('setMyCommands')).toHaveLength(4);
    fake.pushUpdate(textMessage('這次柬埔寨警方抓了多少人?'));
    const [message] = await fake.waitFor('sendMessage', 1, 15_000);
    expect(String(message?.params.text)).toContain('數百名');
    expect(output()).toContain('telegram: ready');
    expect(output()).not.toContain(fake.token);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
  });

  it('SIGTERM in the middle of a reply still delivers it, then exits 0', async () => {
    const { child, output } = startBot({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });
    await fake.waitFor('deleteWebhook', 1, 20_000);
    // Telegram takes 1.5 s to accept the answer: the signal arrives while it is on its way.
    fake.delay('sendMessage', 1500);
    fake.pushUpdate(textMessage('這次柬埔寨警方抓了多少人?'));
    await expect.poll(() => fake.arrived('sendMessage'), { timeout: 15_000, interval: 20 }).toBe(1);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(fake.sent('sendMessage')).toHaveLength(1);
    expect(String(fake.sent('sendMessage')[0]?.params.text)).toContain('數百名');
    expect(output()).toContain('shutting down');
  });

  it('serves /healthz and /readyz on PORT next to the bot', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    startBot({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, PORT: String(port) });
    await fake.waitFor('deleteWebhook', 1, 20_000);
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status, { timeout: 10_000 })
      .toBe(200);
    const ready = await (await fetch(`http://127.0.0.1:${port}/readyz`)).json();
    expect(ready).toEqual({ status: 'ready', checks: { store: true, telegram: true } });
  });

  it('reports a polling conflict (409) in one clear line and exits non-zero', async () => {
    fake.failNext(
      'getUpdates',
      { error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' },
      5,
    );
    const { child, output } = startBot({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(
      output()
        .split('\n')
        .filter((l) => l.includes('TELEGRAM_CONFLICT')),
    ).toHaveLength(1);
  });

  it('a token Telegram rejects stops start-up with one line that does not print the token', async () => {
    const { child, output } = startBot({
      TELEGRAM_BOT_TOKEN: '999999:REJECTED-token-rejected-by-telegram',
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(output()).toContain('TELEGRAM_UNAUTHORIZED: Telegram rejects TELEGRAM_BOT_TOKEN (401 Unauthorized)');
    expect(output()).not.toContain('REJECTED-token');
  });
});
