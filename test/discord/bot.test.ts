import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, Events } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordClient } from '../../adapters/discord/client.ts';
import { parseConfig } from '../../src/config.ts';
import { createConversation } from '../../src/core/conversation.ts';
import type { Core } from '../../src/core/core.ts';
import { type FakeChatCompletions, modelAnswer, startFakeChatCompletions } from '../fakes/chat-completions-server.ts';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord-server.ts';
import { autocomplete, buttonClick, chatInputCommand } from '../fixtures/discord-interactions.ts';
import { capturedLogger, createTestCore } from '../helpers/core.ts';
import { createLlmCore } from '../helpers/llm-core.ts';

type Embed = { description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } };
type CallbackData = {
  embeds?: Embed[];
  allowed_mentions?: unknown;
  components?: { components: { custom_id: string }[] }[];
  content?: string;
  flags?: number;
  choices?: { name: string }[];
};

let fake: FakeDiscord;
let llm: FakeChatCompletions;
let client: Client | undefined;
beforeEach(async () => {
  fake = await startFakeDiscord();
  llm = await startFakeChatCompletions();
});
afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await fake.close();
  await llm.close();
});

async function connect(core?: Core) {
  const config = parseConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase });
  const { logger, logs } = capturedLogger([fake.token]);
  const theCore = core ?? (await createTestCore()).core;
  client = createDiscordClient({
    token: fake.token,
    config: config.discord,
    conversation: createConversation({ core: theCore, logger }),
    logger,
  });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return { logs };
}

const text = (data: CallbackData | undefined) => JSON.stringify(data?.embeds ?? []);

describe('/ask', () => {
  it.each([
    ['zh-TW', '這次柬埔寨警方抓了多少人?', '數百名'],
    ['zh-CN', '柬埔寨警方抓了多少人？这些人后来怎样', '数百名'],
    ['en-US', 'How many people did the police arrest?', 'several hundred'],
  ] as const)('answers in %s with the cited quote and block id, the article in the footer', async (locale, question, figure) => {
    await connect();
    const record = fake.dispatchInteraction(chatInputCommand('ask', { question }, { locale }));
    const callback = await fake.waitForCallback(record.id);
    expect(callback.type).toBe(4);
    const data = callback.data as CallbackData;
    expect(data.embeds?.[0]?.description).toContain(figure);
    expect(data.embeds?.[0]?.fields?.some((f) => f.name.endsWith('[p3]'))).toBe(true);
    expect(data.embeds?.[0]?.footer?.text).toMatch(/柬埔寨|Cambodia/);
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  it('never pings: @everyone and a role in the question stay inert', async () => {
    await connect();
    const record = fake.dispatchInteraction(
      chatInputCommand('ask', { question: '@everyone <@&1291000000000000101> how many were arrested?' }),
    );
    const data = (await fake.waitForCallback(record.id)).data as CallbackData;
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(text(data)).not.toContain('@everyone');
  });

  it('a slow LLM answer is deferred in time, then edited in', async () => {
    const { core } = await createLlmCore(llm, { LLM_TIMEOUT_MS: '5000' });
    llm.script({
      delayMs: 1500,
      content: modelAnswer(
        'According to the article, Cambodia became a hotspot because of its geographical location, economic conditions and policy environment.',
        [{ block: 'p2', quote: '由于其地理位置' }],
      ),
    });
    await connect(core);
    const record = fake.dispatchInteraction(
      chatInputCommand('ask', { question: 'Explain simply why Cambodia became a hotspot for scam compounds' }),
    );
    const callback = await fake.waitForCallback(record.id);
    expect(callback.type).toBe(5);
    expect(callback.at - record.dispatchedAt).toBeLessThan(1000);
    const edit = await fake.waitForEdit(record.id, 10_000);
    expect(JSON.stringify(edit.body)).toContain('Generated automatically');
    expect((edit.body as CallbackData).allowed_mentions).toEqual({ parse: [] });
  });

  it('a 429 on the edit is retried by the client and the answer arrives', async () => {
    const { core } = await createLlmCore(llm, { LLM_TIMEOUT_MS: '5000' });
    llm.script({
      delayMs: 300,
      content: modelAnswer(
        'According to the article, Cambodia became a hotspot because of its geographical location, economic conditions and policy environment.',
        [{ block: 'p2', quote: '由于其地理位置' }],
      ),
    });
    await connect(core);
    fake.failNext('PATCH', /\/messages\/@original$/, { status: 429, retryAfter: 0.3 });
    const record = fake.dispatchInteraction(
      chatInputCommand('ask', { question: 'Explain simply why Cambodia became a hotspot for scam compounds' }),
    );
    const edit = await fake.waitForEdit(record.id, 10_000);
    expect(JSON.stringify(edit.body)).toContain('geographical location');
    expect(fake.calls.filter((c) => c.method === 'PATCH').map((c) => c.status)).toEqual([429, 200]);
  });
});

describe('other interactions', () => {
  it("autocomplete suggests at most 25 known questions in the user's locale", async () => {
    await connect();
    const record = fake.dispatchInteraction(autocomplete('ask', 'question', '抓', { locale: 'zh-TW' }));
    const callback = await fake.waitForCallback(record.id);
    expect(callback.type).toBe(8);
    const choices = (callback.data as CallbackData).choices ?? [];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]?.name).toContain('抓');
  });

  it('/advice 2 and a follow-up button', async () => {
    await connect();
    const record = fake.dispatchInteraction(chatInputCommand('advice', { number: 2 }, { locale: 'en-US' }));
    const data = (await fake.waitForCallback(record.id)).data as CallbackData;
    expect(text(data)).toContain('[rec2]');
    const ids = (data.components ?? []).flatMap((r) => r.components.map((c) => c.custom_id));
    expect(ids).toContain('t:zh-Hant:rec.2');
    const click = fake.dispatchInteraction(buttonClick('t:zh-Hant:rec.2', { locale: 'en-US' }));
    expect(text((await fake.waitForCallback(click.id)).data as CallbackData)).toContain('第二條建議');
  });

  it('a forged button id gets a short ephemeral notice', async () => {
    await connect();
    const click = fake.dispatchInteraction(buttonClick('x:../../etc', { locale: 'en-US' }));
    const data = (await fake.waitForCallback(click.id)).data as CallbackData;
    expect(data.content).toBe('This button has expired; please ask again.');
    expect((data.flags ?? 0) & 64).toBe(64);
  });

  it("/source stays within Discord's limits (the fake enforces them)", async () => {
    await connect();
    const record = fake.dispatchInteraction(chatInputCommand('source', {}, { locale: 'zh-TW' }));
    const callback = await fake.waitForCallback(record.id);
    expect(callback.type).toBe(4);
    expect(record.rejected).toEqual([]);
  });
});

describe('failures', () => {
  it('an interaction that expired before the reply is logged, not fatal, and the next one is answered', async () => {
    const { logs } = await connect();
    const late = fake.dispatchInteraction(chatInputCommand('ask', { question: 'How many people were arrested?' }), { ackDeadlineMs: 0 });
    await fake.waitFor(() => late.rejected.length > 0 || undefined, 5000, 'refused late callback');
    const next = fake.dispatchInteraction(chatInputCommand('ask', { question: 'How many people were arrested?' }));
    expect((await fake.waitForCallback(next.id)).type).toBe(4);
    for (let waited = 0; !logs().includes('expired or already acknowledged') && waited < 2000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    expect(logs()).toContain('expired or already acknowledged');
  });

  it('a failing reply is logged and the user gets a short ephemeral apology', async () => {
    const { logs } = await connect();
    // discord.js retries a 5xx three times; the fourth failure reaches the catch-all.
    fake.failNext('POST', /\/interactions\/\d+\/[^/]+\/callback$/, { status: 500, body: { message: 'Internal Server Error', code: 0 } }, 4);
    const record = fake.dispatchInteraction(chatInputCommand('ask', { question: 'How many people were arrested?' }));
    const callback = await fake.waitForCallback(record.id, 10_000);
    expect((callback.data as CallbackData).flags ?? 0).toBe(64);
    expect((callback.data as CallbackData).content).toContain('Sorry');
    expect(logs()).toContain('discord: answering failed');
  });
});

describe('registration and start-up', () => {
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const dir = mkdtempSync(join(tmpdir(), 'discord-'));
      const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
        env: {
          ...process.env,
          STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
          TELEGRAM_BOT_TOKEN: '',
          LOG_LEVEL: 'info',
          LOG_FORMAT: 'json',
          PORT: '0',
          ...env,
        },
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
    });

  it("npm run discord:register overwrites the server's commands in one call, idempotently", async () => {
    const env = {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE: fake.apiBase,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_GUILD_ID: fake.guildId,
    };
    const first = await run(['adapters/discord/register.ts'], env);
    expect(first.out).toContain(`discord: 7 commands registered (server ${fake.guildId})`);
    const ids = (fake.commands.guilds[fake.guildId] ?? []).map((c) => c.id);
    // Accepted by the fake's checks as Discord would: sub-commands, localizations, permissions.
    const remind = fake.commands.guilds[fake.guildId]?.find((c) => c.name === 'remind');
    expect(remind).toMatchObject({ default_member_permissions: '16', name_localizations: { 'zh-TW': '提醒', 'zh-CN': '提醒' } });
    expect(remind?.options).toEqual([
      expect.objectContaining({ type: 1, name: 'on' }),
      expect.objectContaining({ type: 1, name: 'off' }),
      expect.objectContaining({ type: 1, name: 'status' }),
      expect.objectContaining({ type: 1, name: 'now' }),
    ]);
    const second = await run(['adapters/discord/register.ts'], env);
    expect(second.code).toBe(0);
    expect((fake.commands.guilds[fake.guildId] ?? []).map((c) => c.id)).toEqual(ids);
    expect(fake.calls.filter((c) => c.method === 'PUT')).toHaveLength(2);
  });

  it('the bot started as npm start does logs in and answers', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      env: {
        ...process.env,
        STORE_URL: `sqlite://${join(mkdtempSync(join(tmpdir(), 'discord-e2e-')), 'bot.sqlite')}`,
        TELEGRAM_BOT_TOKEN: '',
        DISCORD_TOKEN: fake.token,
        DISCORD_API_BASE: fake.apiBase,
        LOG_FORMAT: 'json',
        PORT: '0',
      },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await fake.waitForSession(20_000);
      for (let waited = 0; !out.includes('discord: ready') && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      const record = fake.dispatchInteraction(chatInputCommand('ask', { question: 'How many people were arrested?' }));
      const callback = await fake.waitForCallback(record.id, 10_000);
      expect(text(callback.data as CallbackData)).toContain('several hundred');
      expect(out).not.toContain(fake.token);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('a token Discord rejects stops start-up with one line', async () => {
    const result = await run(['adapters/main.ts'], { DISCORD_TOKEN: 'MTI5.rejected.token-value-xyz', DISCORD_API_BASE: fake.apiBase });
    expect(result.code).toBe(1);
    expect(result.out).toContain('DISCORD_UNAUTHORIZED: Discord rejects DISCORD_TOKEN (invalid token)');
    expect(result.out).not.toContain('rejected.token-value');
  });
});
