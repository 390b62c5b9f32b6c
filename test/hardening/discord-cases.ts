/**
 * Discord hardening: hostile input and injected faults through the real discord.js Client,
 * logged in to the local fake Discord (REST + gateway). Every case starts its own fake and
 * client and closes both, so cases are independent.
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { type Client, Events } from 'discord.js';
import { expect } from 'vitest';
import { createDiscordClient } from '../../adapters/discord/client.ts';
import { startDiscord } from '../../adapters/discord/index.ts';
import { type App, createApp } from '../../src/bootstrap.ts';
import { parseConfig } from '../../src/config.ts';
import { createConversation } from '../../src/core/conversation.ts';
import type { Core } from '../../src/core/core.ts';
import type { Reply } from '../../src/protocol/reply.ts';
import { type FakeChatCompletions, modelAnswer, startFakeChatCompletions } from '../fakes/chat-completions-server.ts';
import { type FakeDiscord, type InteractionRecord, startFakeDiscord } from '../fakes/discord-server.ts';
import { buttonClick, CHANNEL_MANAGER_PERMISSIONS, chatInputCommand, subcommand } from '../fixtures/discord-interactions.ts';
import { capturedLogger, createTestCore, manualClock } from '../helpers/core.ts';
import { createLlmCore } from '../helpers/llm-core.ts';
import type { HardeningCase } from './case.ts';

type Json = Record<string, unknown>;
type Embed = {
  title?: string;
  description?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
  author?: { name: string };
};
type Body = {
  content?: string;
  embeds?: Embed[];
  components?: { components: { custom_id?: string; label?: string }[] }[];
  allowed_mentions?: unknown;
  flags?: number;
};

const EPHEMERAL = 64;
const ARRESTS = 'How many people were arrested?';
const CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;
const FOLLOW_UP = /^\/webhooks\/\d+\/[^/]+$/;
const EDIT_ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

interface Bot {
  fake: FakeDiscord;
  client: Client;
  logs(): string;
  /** Unhandled rejections and uncaught exceptions seen while the bot ran. */
  crashes: unknown[];
  close(): Promise<void>;
}

/** Process-level failures while a case runs: a crash is a failed case, not a dead test runner. */
function watchCrashes() {
  const crashes: unknown[] = [];
  const record = (e: unknown) => void crashes.push(e);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    crashes,
    stop() {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    },
  };
}

/** The fake Discord and the bot's client (as adapters/discord builds it) logged in to it. */
async function startBot(options: { core?: Core; llm?: FakeChatCompletions } = {}): Promise<Bot> {
  const watch = watchCrashes();
  const fake = await startFakeDiscord();
  const config = parseConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase });
  const { logger, logs } = capturedLogger([fake.token]);
  let client: Client | undefined;
  try {
    const core = options.core ?? (await createTestCore()).core;
    client = createDiscordClient({ token: fake.token, config: config.discord, conversation: createConversation({ core, logger }), logger });
    const ready = once(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
  } catch (error) {
    await client?.destroy();
    await fake.close();
    watch.stop();
    throw error;
  }
  const theClient = client;
  return {
    fake,
    client: theClient,
    logs,
    crashes: watch.crashes,
    async close() {
      try {
        await theClient.destroy();
        await fake.close();
      } finally {
        watch.stop();
      }
    },
  };
}

/** The app and the Discord adapter as `npm start` wires them (reminders included). */
async function startApp(): Promise<{ fake: FakeDiscord; app: App; logs(): string; close(): Promise<void> }> {
  const fake = await startFakeDiscord();
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => {
    text += d;
  });
  const config = parseConfig({
    DISCORD_TOKEN: fake.token,
    DISCORD_API_BASE: fake.apiBase,
    STORE_URL: 'sqlite://:memory:',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'debug',
  });
  let app: App | undefined;
  try {
    app = await createApp(config, { clock: manualClock(), logDestination: out });
    const running = await startDiscord(app);
    await fake.waitFor(() => text.includes('discord: ready'), 5_000, 'the bot to be ready');
    const theApp = app;
    return {
      fake,
      app: theApp,
      logs: () => text,
      async close() {
        await running.stop();
        await theApp.close();
        await fake.close();
      },
    };
  } catch (error) {
    await app?.close();
    await fake.close();
    throw error;
  }
}

/** Runs `body` with a fresh bot and always closes it; fails on a crash seen meanwhile. */
async function withBot<T>(options: Parameters<typeof startBot>[0], body: (bot: Bot) => Promise<T>): Promise<T> {
  const bot = await startBot(options);
  try {
    const result = await body(bot);
    expect(bot.crashes.map(String), 'unhandled rejection or uncaught exception').toEqual([]);
    return result;
  } finally {
    await bot.close();
  }
}

async function withLlm<T>(body: (llm: FakeChatCompletions) => Promise<T>): Promise<T> {
  const llm = await startFakeChatCompletions();
  try {
    return await body(llm);
  } finally {
    await llm.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------------

/** Every message body the bot sent for an interaction: the callback's, each edit, each follow-up. */
function bodiesOf(record: InteractionRecord): Body[] {
  const out: Body[] = [];
  if (record.callback?.data && (record.callback.type === 4 || record.callback.type === 7)) out.push(record.callback.data as Body);
  for (const e of record.edits) out.push(e.body as Body);
  for (const f of record.followUps) out.push(f.body as Body);
  return out;
}

const chars = (s: string | undefined) => (s === undefined ? 0 : Array.from(s).length);
/** JSON.stringify writes a lone surrogate as a \uXXXX escape (pairs stay raw): that is how one shows in a body. */
const LONE_SURROGATE_ESCAPE = /\\ud[89a-f][0-9a-f]{2}/i;

/** Discord's message limits, checked independently of the fake: throws naming the first one broken. */
function assertWithinLimits(body: Body, where = 'message'): void {
  expect(chars(body.content), `${where}: content ≤ 2000`).toBeLessThanOrEqual(2000);
  const embeds = body.embeds ?? [];
  expect(embeds.length, `${where}: ≤ 10 embeds`).toBeLessThanOrEqual(10);
  let total = 0;
  embeds.forEach((e, i) => {
    const at = `${where} embed ${i}`;
    expect(chars(e.title), `${at}: title ≤ 256`).toBeLessThanOrEqual(256);
    expect(chars(e.description), `${at}: description ≤ 4096`).toBeLessThanOrEqual(4096);
    expect((e.fields ?? []).length, `${at}: ≤ 25 fields`).toBeLessThanOrEqual(25);
    for (const f of e.fields ?? []) {
      expect(chars(f.name), `${at}: field name 1..256`).toBeGreaterThan(0);
      expect(chars(f.name), `${at}: field name 1..256`).toBeLessThanOrEqual(256);
      expect(chars(f.value), `${at}: field value 1..1024`).toBeGreaterThan(0);
      expect(chars(f.value), `${at}: field value 1..1024`).toBeLessThanOrEqual(1024);
    }
    expect(chars(e.footer?.text), `${at}: footer ≤ 2048`).toBeLessThanOrEqual(2048);
    total +=
      chars(e.title) +
      chars(e.description) +
      chars(e.footer?.text) +
      chars(e.author?.name) +
      (e.fields ?? []).reduce((n, f) => n + chars(f.name) + chars(f.value), 0);
  });
  expect(total, `${where}: embeds ≤ 6000 characters in total`).toBeLessThanOrEqual(6000);
  const rows = body.components ?? [];
  expect(rows.length, `${where}: ≤ 5 rows`).toBeLessThanOrEqual(5);
  for (const row of rows) {
    expect(row.components.length, `${where}: ≤ 5 buttons a row`).toBeLessThanOrEqual(5);
    for (const b of row.components) expect(chars(b.label), `${where}: button label ≤ 80`).toBeLessThanOrEqual(80);
  }
  expect(LONE_SURROGATE_ESCAPE.test(JSON.stringify(body)), `${where}: no lone surrogate`).toBe(false);
  expect(JSON.stringify(body).includes('\\u0000'), `${where}: no NUL`).toBe(false);
}

/** The text a reader sees (Markdown escapes removed). */
function visibleText(bodies: Body[]): string {
  return bodies
    .flatMap((b) => [
      b.content,
      ...(b.embeds ?? []).flatMap((e) => [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]),
    ])
    .filter((s): s is string => typeof s === 'string')
    .join('\n')
    .replace(/\\(.)/g, '$1');
}

/** Raw text the bot sent (before unescaping), where a live mention would sit. */
const rawText = (bodies: Body[]) =>
  bodies
    .flatMap((b) => [b.content, ...(b.embeds ?? []).flatMap((e) => [e.title, e.description, ...(e.fields ?? []).map((f) => f.value)])])
    .filter((s): s is string => typeof s === 'string')
    .join('\n');

/** No request of the bot was refused as malformed, and no callback attempt was rejected. */
function assertAccepted(fake: FakeDiscord, record: InteractionRecord): void {
  expect(record.rejected, 'callbacks the fake refused').toEqual([]);
  const bad = fake.calls.filter((c) => c.status === 400).map((c) => `${c.method} ${c.route}: ${JSON.stringify(c.response)}`);
  expect(bad, 'requests refused as invalid (400)').toEqual([]);
}

/** Every body says allowed_mentions.parse: [] and the stored messages ping no one. */
function assertNoPing(fake: FakeDiscord, record: InteractionRecord): void {
  const bodies = bodiesOf(record);
  expect(bodies.length).toBeGreaterThan(0);
  for (const b of bodies) expect(b.allowed_mentions, 'allowed_mentions').toEqual({ parse: [] });
  const stored = [
    record.originalId ? fake.message(record.originalId) : undefined,
    ...record.followUps.map((f) => fake.message(String(f.message.id)) ?? f.message),
  ].filter((m): m is Json => m !== undefined);
  expect(stored.length).toBeGreaterThan(0);
  for (const m of stored) {
    expect(m.mention_everyone, 'mention_everyone').toBe(false);
    expect(m.mentions, 'mentions').toEqual([]);
    expect(m.mention_roles, 'mention_roles').toEqual([]);
  }
  // Embeds do not ping, but text shown as written must not carry a live @everyone/@here either.
  expect(rawText(bodies)).not.toMatch(/@(everyone|here)\b/);
}

/** The client still answers: a plain question after the fault gets its normal reply. */
async function assertStillAnswers(bot: Bot): Promise<void> {
  expect(bot.client.isReady(), 'client ready').toBe(true);
  const next = bot.fake.dispatchInteraction(chatInputCommand('ask', { question: ARRESTS }));
  const callback = await bot.fake.waitForCallback(next.id, 5_000);
  expect(callback.type).toBe(4);
  expect(visibleText(bodiesOf(next))).toContain('several hundred');
}

/** Waits until the logs hold `text` at least `times` times. */
async function waitForLog(logs: () => string, text: string, ms = 3_000, times = 1): Promise<void> {
  const count = () => logs().split(text).length - 1;
  for (let waited = 0; count() < times && waited < ms; waited += 25) await new Promise((r) => setTimeout(r, 25));
  expect(count(), `log lines "${text}"`).toBeGreaterThanOrEqual(times);
}

/** /ask with a question, answered in place: the record once the reply (and any follow-up) is in. */
async function ask(bot: Bot, question: string, locale: 'en-US' | 'zh-TW' = 'en-US'): Promise<InteractionRecord> {
  const record = bot.fake.dispatchInteraction(chatInputCommand('ask', { question }, { locale }));
  await bot.fake.waitForCallback(record.id);
  return record;
}

/** A mention in the question: the reply answers it, pings no one, and is within limits. */
function mentionCase(label: string, question: string): HardeningCase {
  return {
    name: `discord: /ask with ${label}`,
    expected: 'answered; allowed_mentions.parse [], no ping',
    run: () =>
      withBot({}, async (bot) => {
        const record = await ask(bot, question);
        assertAccepted(bot.fake, record);
        assertNoPing(bot.fake, record);
        for (const b of bodiesOf(record)) assertWithinLimits(b);
        expect(visibleText(bodiesOf(record))).toContain('several hundred');
        return 'answered, parse: [], no mention resolved';
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// A reply longer than any the content holds (the adapter must split it, not the core)
// ---------------------------------------------------------------------------------------------

const LONG_MARKER = 'LONG-ANSWER-PLEASE';
const SENTENCES = 260;
const EMOJI = '🧨';
const EMOJI_RUN = 4500;

function longReply(): Reply {
  const paragraph = Array.from(
    { length: SENTENCES },
    (_, i) => `Sentence ${i} of a very long answer 🔍 with *stars*, _underscores_ and @everyone inside.`,
  ).join(' ');
  return {
    kind: 'answer',
    lang: 'en',
    blocks: [
      { type: 'heading', text: `A heading far longer than Discord allows ${'✦'.repeat(300)}` },
      { type: 'paragraph', text: paragraph },
      // No sentence end or line break to cut at, and an odd offset: a cut by UTF-16 units lands inside an emoji.
      { type: 'paragraph', text: `x${EMOJI.repeat(EMOJI_RUN)}` },
      { type: 'list', ordered: true, items: Array.from({ length: 60 }, (_, i) => `Item ${i} 🧭 ${'x'.repeat(40)}`) },
      ...Array.from({ length: 40 }, (_, i) => ({
        type: 'quote' as const,
        text: `Q${i} ${'柬埔寨警方共抓獲犯罪嫌疑人數百名'.repeat(80)}`,
        blockId: `p${(i % 8) + 1}`,
        label: `Original (Chinese) quote number ${i}`,
      })),
      { type: 'notice', text: 'A closing notice.' },
    ],
    citations: [{ block: 'p3', quote: '柬埔寨警方共抓獲犯罪嫌疑人數百名' }],
    suggestions: [
      ...Array.from({ length: 8 }, (_, i) => ({
        label: `${'A very long button label '.repeat(6)}${i}`,
        action: { type: 'block' as const, id: `p${i + 1}` },
      })),
      ...Array.from({ length: 4 }, (_, i) => ({ label: `Recommendation ${i + 1}`, action: { type: 'block' as const, id: `rec${i + 1}` } })),
      { label: 'Summary', action: { type: 'command', command: 'summary' } },
      { label: 'Advice', action: { type: 'command', command: 'advice' } },
    ],
    source: 'offline',
    entryId: 'fact.arrests',
  };
}

/** The real core, except that a question containing LONG_MARKER gets `longReply()`. */
async function coreWithLongAnswer(): Promise<Core> {
  const { core } = await createTestCore();
  return { ...core, handle: async (event, hooks) => (event.text.includes(LONG_MARKER) ? longReply() : core.handle(event, hooks)) };
}

const WHY_CAMBODIA = 'Explain simply why Cambodia became a hotspot for scam compounds';
const GOOD_LLM = modelAnswer(
  'According to the article, Cambodia became a hotspot because of its geographical location, economic conditions and policy environment.',
  [{ block: 'p2', quote: '由于其地理位置' }],
);

// ---------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------

export const discordCases: HardeningCase[] = [
  mentionCase('@everyone', '@everyone how many people were arrested?'),
  mentionCase('@here', '@here How many people were arrested? @here'),
  mentionCase('a role mention <@&…>', '<@&123> <@&1291000000000000101> how many people were arrested?'),
  mentionCase('a user mention <@…>', '<@456> <@!1291000000000000302> how many people were arrested?'),

  {
    name: 'discord: an answer far beyond one message',
    expected: 'split within 4096/25/6000/2000, nothing lost',
    run: async () =>
      withBot({ core: await coreWithLongAnswer() }, async (bot) => {
        const record = await ask(bot, `${LONG_MARKER} tell me everything`);
        // The rest arrives as follow-ups; wait until the last one carries the buttons.
        await bot.fake.waitFor(() => record.followUps.some((f) => ((f.body as Body).components ?? []).length > 0), 10_000, 'the last part');
        assertAccepted(bot.fake, record);
        const bodies = bodiesOf(record);
        bodies.forEach((b, i) => {
          assertWithinLimits(b, `message ${i}`);
        });
        assertNoPing(bot.fake, record);
        const fields = bodies.flatMap((b) => (b.embeds ?? []).flatMap((e) => e.fields ?? []));
        expect(fields, 'every quote as a field').toHaveLength(40);
        const shown = visibleText(bodies);
        const missing = [
          ...Array.from({ length: SENTENCES }, (_, i) => `Sentence ${i} of`),
          ...Array.from({ length: 60 }, (_, i) => `Item ${i} `),
        ].filter((piece) => !shown.includes(piece));
        expect(missing, 'sentences and list items lost').toEqual([]);
        expect(shown.split(EMOJI).length - 1, 'every emoji of the unbroken run, none cut in half').toBe(EMOJI_RUN);
        return `${bodies.length} messages, ${fields.length} fields, all within limits`;
      }),
  },

  {
    name: 'discord: a 6,000-character /ask question',
    expected: 'answered within limits, all of it read (no truncation notice)',
    run: () =>
      withBot({}, async (bot) => {
        const question = `${ARRESTS} `.repeat(200).slice(0, 6000);
        expect(Array.from(question).length).toBe(6000);
        const record = await ask(bot, question);
        assertAccepted(bot.fake, record);
        for (const b of bodiesOf(record)) assertWithinLimits(b);
        const shown = visibleText(bodiesOf(record));
        expect(shown).toContain('several hundred');
        expect(shown).not.toMatch(/I read only/);
        return 'answered, the whole question read';
      }),
  },

  {
    name: 'discord: empty and whitespace-only /ask question',
    expected: 'a clarify reply each, within limits, no crash',
    run: () =>
      withBot({}, async (bot) => {
        for (const question of ['', '   \t  \n ']) {
          const record = await ask(bot, question);
          assertAccepted(bot.fake, record);
          expect(record.callback?.type).toBe(4);
          for (const b of bodiesOf(record)) assertWithinLimits(b);
          expect(visibleText(bodiesOf(record))).toContain("I didn't catch a question");
        }
        await assertStillAnswers(bot);
        return 'clarify ×2, next question answered';
      }),
  },

  {
    name: 'discord: emoji-only and zero-width-only /ask question',
    expected: 'a clarify reply each, no crash',
    run: () =>
      withBot({}, async (bot) => {
        for (const question of ['😀🔥👍🏽🇰🇭', '\u200b\u200c\u200d\u2060\ufeff\u00ad']) {
          const record = await ask(bot, question);
          assertAccepted(bot.fake, record);
          for (const b of bodiesOf(record)) assertWithinLimits(b);
          expect(visibleText(bodiesOf(record))).toContain("I didn't catch a question");
        }
        await assertStillAnswers(bot);
        return 'clarify ×2, next question answered';
      }),
  },

  {
    name: 'discord: NUL and control characters in /ask question',
    expected: 'answered as the question without them; none echoed',
    run: () =>
      withBot({}, async (bot) => {
        const nulOnly = await ask(bot, '\u0000\u0000\u0007\u001b[31m');
        assertAccepted(bot.fake, nulOnly);
        expect(visibleText(bodiesOf(nulOnly))).toContain("I didn't catch a question");
        const record = await ask(bot, 'How many\u0000 people were\u0008 arrested?\u001f\u007f');
        assertAccepted(bot.fake, record);
        for (const b of [...bodiesOf(nulOnly), ...bodiesOf(record)]) assertWithinLimits(b);
        const shown = visibleText(bodiesOf(record));
        expect(shown).toContain('several hundred');
        expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
        return 'controls only: clarify; with a question: answered';
      }),
  },

  {
    name: 'discord: lone surrogates in /ask question',
    expected: 'answered; no lone surrogate in the reply',
    run: () =>
      withBot({}, async (bot) => {
        const record = await ask(bot, '\ud800How many people were arrested?\udfff\ud83d');
        assertAccepted(bot.fake, record);
        for (const b of bodiesOf(record)) assertWithinLimits(b);
        expect(visibleText(bodiesOf(record))).toContain('several hundred');
        const lonely = await ask(bot, '\udc00\ud800');
        assertAccepted(bot.fake, lonely);
        expect(visibleText(bodiesOf(lonely))).toContain("I didn't catch a question");
        return 'answered; surrogates only: clarify';
      }),
  },

  {
    name: 'discord: forged button custom ids',
    expected: 'short ephemeral "expired" notice each, no crash',
    run: () =>
      withBot({}, async (bot) => {
        const forged = [
          'x:../../etc/passwd',
          '<script>alert(1)</script>',
          `e:${'a'.repeat(95)}`,
          'c:rm -rf /',
          'l:klingon',
          't:en:../../secrets',
          'e:fact.arrests\u0000',
          '@everyone',
        ];
        for (const id of forged) {
          const click = bot.fake.dispatchInteraction(buttonClick(id, { locale: 'en-US' }));
          const data = (await bot.fake.waitForCallback(click.id)).data as Body;
          assertAccepted(bot.fake, click);
          expect(data.content, id).toBe('This button has expired; please ask again.');
          expect((data.flags ?? 0) & EPHEMERAL, id).toBe(EPHEMERAL);
          expect(data.embeds ?? []).toEqual([]);
          expect(data.allowed_mentions).toEqual({ parse: [] });
        }
        await assertStillAnswers(bot);
        return `${forged.length} ids: ephemeral notice each`;
      }),
  },

  {
    name: 'discord: stale button custom ids (well-formed, unknown target)',
    expected: 'short ephemeral "expired" notice each, no crash',
    run: () =>
      withBot({}, async (bot) => {
        const stale = ['e:fact.removed-long-ago', 'b:p999', 'b:rec99', 't:zh-Hans:fact.gone', 'e:advice.list2'];
        for (const id of stale) {
          const click = bot.fake.dispatchInteraction(buttonClick(id, { locale: 'en-US' }));
          const callback = await bot.fake.waitForCallback(click.id);
          const data = callback.data as Body;
          assertAccepted(bot.fake, click);
          expect(data.content, `${id} → ${visibleText([data]).slice(0, 60)}`).toBe('This button has expired; please ask again.');
          expect((data.flags ?? 0) & EPHEMERAL, id).toBe(EPHEMERAL);
        }
        await assertStillAnswers(bot);
        return `${stale.length} ids: ephemeral notice each`;
      }),
  },

  {
    name: 'discord: /advice with number 99, 0 and -1 (forged past the choices)',
    expected: 'the 4 recommendations with an out-of-range notice',
    run: () =>
      withBot({}, async (bot) => {
        for (const n of [99, 0, -1]) {
          const record = bot.fake.dispatchInteraction(chatInputCommand('advice', { number: n }, { locale: 'en-US' }));
          await bot.fake.waitForCallback(record.id);
          assertAccepted(bot.fake, record);
          expect(record.callback?.type).toBe(4);
          for (const b of bodiesOf(record)) assertWithinLimits(b);
          const shown = visibleText(bodiesOf(record));
          expect(shown, `number ${n}`).toContain('The article makes only 4 recommendations; pick a number from 1 to 4.');
          // The list items start a sentence ("The first recommendation is …").
          for (const item of ['The first recommendation', 'The fourth recommendation']) expect(shown, `number ${n}`).toContain(item);
        }
        await assertStillAnswers(bot);
        return 'list + out-of-range notice for 99, 0, -1';
      }),
  },

  {
    name: 'discord: /remind on time:25:99 timezone:Mars/Olympus',
    expected: 'a clear error reply; nothing subscribed',
    run: async () => {
      const bot = await startApp();
      try {
        const asManager = { permissions: CHANNEL_MANAGER_PERMISSIONS };
        const shown: string[] = [];
        for (const options of [
          { time: '25:99', timezone: 'Mars/Olympus' },
          { time: '21:30', timezone: 'Mars/Olympus' },
          { time: '25:99', timezone: 'Asia/Taipei' },
        ]) {
          const record = bot.fake.dispatchInteraction(chatInputCommand('remind', subcommand('on', options), asManager));
          await bot.fake.waitForCallback(record.id);
          assertAccepted(bot.fake, record);
          const bodies = bodiesOf(record);
          for (const b of bodies) assertWithinLimits(b);
          const text = visibleText(bodies);
          shown.push(text);
          const badTime = /I cannot read the time “25:99”/;
          const badZone = /“Mars\/Olympus” is not a time zone I know/;
          // When both are wrong, naming either one is a clear answer.
          if (options.time !== '25:99') expect(text, JSON.stringify(options)).toMatch(badZone);
          else if (options.timezone !== 'Mars/Olympus') expect(text, JSON.stringify(options)).toMatch(badTime);
          else expect(badTime.test(text) || badZone.test(text), `${JSON.stringify(options)}: ${text}`).toBe(true);
        }
        expect(await bot.app.reminders.status('discord', bot.fake.channelId)).toBeUndefined();
        return 'error naming the bad time or zone; not subscribed';
      } finally {
        await bot.close();
      }
    },
  },

  {
    name: 'discord: 429 on the interaction callback',
    expected: 'retried after retry_after, inside the 3 s window',
    run: () =>
      withBot({}, async (bot) => {
        bot.fake.failNext('POST', CALLBACK, { status: 429, retryAfter: 0.4 });
        const record = bot.fake.dispatchInteraction(chatInputCommand('ask', { question: ARRESTS }));
        const callback = await bot.fake.waitForCallback(record.id, 5_000);
        expect(callback.type).toBe(4);
        expect(visibleText(bodiesOf(record))).toContain('several hundred');
        const statuses = bot.fake.calls.filter((c) => CALLBACK.test(c.route)).map((c) => c.status);
        expect(statuses).toEqual([429, 204]);
        expect(callback.at - record.dispatchedAt).toBeLessThan(3_000);
        return `callback statuses ${statuses.join(', ')}; answered in ${callback.at - record.dispatchedAt} ms`;
      }),
  },

  {
    name: 'discord: 429 on the edit of a deferred answer',
    expected: 'edit retried, the answer arrives',
    run: () =>
      withLlm(async (llm) => {
        const { core } = await createLlmCore(llm, { LLM_TIMEOUT_MS: '5000' });
        llm.script({ delayMs: 200, content: GOOD_LLM });
        return withBot({ core }, async (bot) => {
          bot.fake.failNext('PATCH', EDIT_ORIGINAL, { status: 429, retryAfter: 0.3 });
          const record = bot.fake.dispatchInteraction(chatInputCommand('ask', { question: WHY_CAMBODIA }));
          expect((await bot.fake.waitForCallback(record.id)).type).toBe(5);
          const edit = await bot.fake.waitForEdit(record.id, 10_000);
          expect(visibleText([edit.body as Body])).toContain('geographical location');
          const patches = bot.fake.calls.filter((c) => c.method === 'PATCH').map((c) => c.status);
          expect(patches).toEqual([429, 200]);
          assertNoPing(bot.fake, record);
          return `PATCH statuses ${patches.join(', ')}; answer edited in`;
        });
      }),
  },

  {
    name: 'discord: 403 on the interaction callback',
    expected: 'logged, no crash, next interaction answered',
    run: () =>
      withBot({}, async (bot) => {
        // Twice: the reply and the apology after it both meet Missing Access.
        bot.fake.failNext('POST', CALLBACK, { status: 403, body: { message: 'Missing Access', code: 50001 } }, 2);
        const record = bot.fake.dispatchInteraction(chatInputCommand('ask', { question: ARRESTS }));
        await bot.fake.waitFor(() => bot.fake.calls.filter((c) => c.status === 403).length >= 2 || undefined, 5_000, 'two 403s');
        await waitForLog(bot.logs, 'discord: answering failed');
        expect(record.callback).toBeUndefined();
        await assertStillAnswers(bot);
        return 'error logged, apology failed quietly, next answered';
      }),
  },

  {
    name: 'discord: 500 on the interaction callback (every retry)',
    expected: 'logged, ephemeral apology, next interaction answered',
    timeoutMs: 30_000,
    run: () =>
      withBot({}, async (bot) => {
        // discord.js retries a 5xx three times; the fourth failure reaches the bot's catch-all.
        bot.fake.failNext('POST', CALLBACK, { status: 500, body: { message: 'Internal Server Error', code: 0 } }, 4);
        const record = bot.fake.dispatchInteraction(chatInputCommand('ask', { question: ARRESTS }));
        const callback = await bot.fake.waitForCallback(record.id, 10_000);
        await waitForLog(bot.logs, 'discord: answering failed');
        const data = callback.data as Body;
        expect((data.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
        expect(data.content).toContain('Sorry');
        await assertStillAnswers(bot);
        return 'error logged, ephemeral apology, next answered';
      }),
  },

  {
    name: 'discord: 500 and 403 on follow-ups',
    expected: 'logged, apology, next interaction answered',
    timeoutMs: 30_000,
    run: async () =>
      withBot({ core: await coreWithLongAnswer() }, async (bot) => {
        const apologyIn = (record: InteractionRecord) =>
          bot.fake.waitFor(
            () =>
              record.followUps.find(
                (f) => ((f.body as Body).content ?? '').startsWith('Sorry') && ((f.body as Body).flags ?? 0) & EPHEMERAL,
              ),
            10_000,
            'an ephemeral apology',
          );
        // 500 on every try of the first follow-up (discord.js retries 5xx 3 times).
        bot.fake.failNext('POST', FOLLOW_UP, { status: 500, body: { message: 'Internal Server Error', code: 0 } }, 4);
        const first = await ask(bot, `${LONG_MARKER} once`);
        await waitForLog(bot.logs, 'discord: answering failed', 10_000);
        expect(first.callback?.type).toBe(4);
        await apologyIn(first);
        await assertStillAnswers(bot);
        bot.fake.failNext('POST', FOLLOW_UP, { status: 403, body: { message: 'Missing Access', code: 50001 } }, 1);
        const second = await ask(bot, `${LONG_MARKER} twice`);
        await waitForLog(bot.logs, 'discord: answering failed', 5_000, 2);
        expect(second.callback?.type).toBe(4);
        await apologyIn(second);
        await assertStillAnswers(bot);
        expect(bot.fake.calls.filter((c) => FOLLOW_UP.test(c.route)).map((c) => c.status)).toEqual(expect.arrayContaining([500, 403]));
        return 'both logged, ephemeral apology each; later interactions answered';
      }),
  },
];
