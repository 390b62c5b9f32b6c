/**
 * /remind and reminder posts on Discord: the bot as `npm start` builds it (createApp + startDiscord,
 * the real discord.js Client) against the fake Discord, with a clock that moves only when told.
 */
import { PassThrough } from 'node:stream';
import { DiscordAPIError, REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDiscord } from '../../adapters/discord/index.ts';
import { discordPlatform } from '../../adapters/discord/platform.ts';
import type { RunningTransport } from '../../adapters/shared/lifecycle.ts';
import { type App, createApp } from '../../src/bootstrap.ts';
import { parseConfig } from '../../src/config.ts';
import { type ChannelState, type FakeDiscord, startFakeDiscord } from '../fakes/discord-server.ts';
import {
  ALICE,
  autocomplete,
  BOB,
  CHANNEL_MANAGER_PERMISSIONS,
  chatInputCommand,
  dmChannelId,
  subcommand,
} from '../fixtures/discord-interactions.ts';
import { manualClock } from '../helpers/core.ts';

type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[] };
type MessageData = { embeds?: Embed[]; content?: string; flags?: number; allowed_mentions?: unknown; choices?: { name: string }[] };

const EPHEMERAL = 64;
/** The manual clock starts at 2026-11-28T12:00Z: 21:30 in Taipei (UTC+8) is 13:30Z that day. */
const FIRST_SLOT = new Date('2026-11-28T13:30:00Z');

let fake: FakeDiscord;
let app: App | undefined;
let running: RunningTransport | undefined;
beforeEach(async () => {
  fake = await startFakeDiscord();
});
afterEach(async () => {
  await running?.stop();
  await app?.close();
  running = undefined;
  app = undefined;
  await fake.close();
});

function configFor(fakeDiscord: FakeDiscord) {
  return parseConfig({
    DISCORD_TOKEN: fakeDiscord.token,
    DISCORD_API_BASE: fakeDiscord.apiBase,
    STORE_URL: 'sqlite://:memory:',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'debug',
  });
}

/** The app and the Discord adapter as `npm start` wires them, logged in to the fake. */
async function startBot() {
  const out = new PassThrough();
  let logs = '';
  out.on('data', (d) => (logs += d));
  app = await createApp(configFor(fake), { clock: manualClock(), logDestination: out });
  running = await startDiscord(app);
  await fake.waitFor(() => logs.includes('discord: ready'), 5_000, 'the bot to be ready');
  return app;
}

/** Runs one slash command (or autocomplete) and returns what the bot answered with. */
async function interact(payload: Parameters<FakeDiscord['dispatchInteraction']>[0]) {
  const record = fake.dispatchInteraction(payload);
  const callback = await fake.waitForCallback(record.id);
  expect(record.rejected).toEqual([]);
  return { type: callback.type, data: (callback.data ?? {}) as MessageData };
}

/** The embeds' text as a reader sees it (Markdown escapes removed). */
const text = (data: MessageData) =>
  (data.embeds ?? [])
    .flatMap((e) => [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])
    .join('\n')
    .replace(/\\(.)/g, '$1');
const asManager = { permissions: CHANNEL_MANAGER_PERMISSIONS };

describe('/remind on Discord', () => {
  it('a member without Manage Channels is refused privately and briefly; nothing is subscribed', async () => {
    const { reminders } = await startBot();
    const { type, data } = await interact(chatInputCommand('remind', subcommand('on', { time: '21:30' }), { user: BOB }));
    expect(type).toBe(4);
    expect((data.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.content).toBe('Only group admins can change reminders or post one now.');
    expect(data.embeds ?? []).toEqual([]);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(await reminders.status('discord', fake.channelId)).toBeUndefined();
  });

  it('a member with Manage Channels turns them on with a time and zone; anyone sees the status; the manager turns them off', async () => {
    const { reminders } = await startBot();
    const on = await interact(chatInputCommand('remind', subcommand('on', { time: '21:30', timezone: 'Asia/Taipei' }), asManager));
    expect((on.data.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(text(on.data)).toContain('every day at 21:30 (Asia/Taipei)');
    const status = await reminders.status('discord', fake.channelId);
    expect(status?.subscription).toMatchObject({
      chatId: fake.channelId,
      lang: 'en',
      schedule: { kind: 'daily', time: '21:30', timezone: 'Asia/Taipei' },
    });
    expect(status?.next).toEqual(FIRST_SLOT);

    // Bob may not change reminders, but he may read them: the schedule and the next post in its zone.
    const shown = await interact(chatInputCommand('remind', subcommand('status'), { user: BOB }));
    expect((shown.data.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(text(shown.data)).toContain('Reminders in this chat: every day at 21:30 (Asia/Taipei). Next one: Sat, 28 Nov 2026, 21:30.');

    const off = await interact(chatInputCommand('remind', subcommand('off'), asManager));
    expect(text(off.data)).toContain('Reminders are off for this chat.');
    expect(await reminders.status('discord', fake.channelId)).toBeUndefined();
  });

  it('in a DM the user decides alone; a zone typed by hand is read as the zone it names', async () => {
    const { reminders } = await startBot();
    await interact(chatInputCommand('remind', subcommand('on', { time: 'weekly mon 09:00', timezone: 'taipei' }), { guild: false }));
    const status = await reminders.status('discord', dmChannelId(ALICE));
    expect(status?.subscription.schedule).toEqual({ kind: 'weekly', day: 1, time: '09:00', timezone: 'Asia/Taipei' });
  });

  it('a zone Discord users might type but no one has is answered with what is wrong', async () => {
    await startBot();
    const { data } = await interact(chatInputCommand('remind', subcommand('on', { timezone: 'Mars/Olympus' }), asManager));
    expect(text(data)).toContain('“Mars/Olympus” is not a time zone I know');
  });

  it('the timezone option autocompletes IANA zones matching what is typed (at most 25)', async () => {
    await startBot();
    const typed = await interact(autocomplete('remind', 'timezone', 'taip', { subcommand: 'on', otherOptions: { time: '21:30' } }));
    expect(typed.type).toBe(8);
    expect(typed.data.choices?.[0]).toEqual({ name: 'Asia/Taipei', value: 'Asia/Taipei' });
    const broad = await interact(autocomplete('remind', 'timezone', 'America/', { subcommand: 'on' }));
    expect(broad.data.choices).toHaveLength(25);
    expect(broad.data.choices?.every((c) => c.name.startsWith('America/'))).toBe(true);
  });

  it('/remind now posts one cited tip as the reply (a preview)', async () => {
    await startBot();
    const { data } = await interact(chatInputCommand('remind', subcommand('now'), asManager));
    expect(text(data)).toContain('Anti-fraud reminder');
    expect(data.embeds?.some((e) => e.fields?.some((f) => /\[(p\d+|rec\d)\]$/.test(f.name)))).toBe(true);
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('reminder posts on Discord', () => {
  /** A poster as a scheduler-only process builds it: from the token, with no gateway session. */
  async function restPoster() {
    app = await createApp(configFor(fake), { clock: manualClock(), logDestination: new PassThrough() });
    const { poster } = discordPlatform(new REST({ api: app.config.discord.apiBase }).setToken(fake.token), app.conversation);
    if (!poster) throw new Error('Discord always has a poster');
    const tip = await app.reminders.preview('discord', fake.channelId, 'zh-Hant');
    return { poster, tip };
  }

  it('delivers a reminder to a channel without logging in: the tip and its quote in an embed, no pings', async () => {
    const { poster, tip } = await restPoster();
    expect(await poster.post(fake.channelId, tip)).toBe('sent');
    expect(fake.sessions()).toEqual([]);
    const [post] = fake.channelPosts;
    expect(post?.channelId).toBe(fake.channelId);
    expect(post?.body.allowed_mentions).toEqual({ parse: [] });
    const embeds = post?.body.embeds as Embed[];
    expect(embeds[0]?.title).toBe('防詐提醒');
    const quote = tip.blocks.find((b) => b.type === 'quote');
    expect(embeds.flatMap((e) => e.fields ?? []).some((f) => quote?.type === 'quote' && f.name.endsWith(`[${quote.blockId}]`))).toBe(true);
    expect(post?.message.mention_everyone).toBe(false);
  });

  it.each([
    ['missing-access', 403],
    ['missing-permissions', 403],
    ['unknown', 404],
  ] as const)('a channel answering %s (%i) is gone', async (state: ChannelState, status) => {
    const { poster, tip } = await restPoster();
    fake.setChannelState(fake.channelId, state);
    expect(await poster.post(fake.channelId, tip)).toBe('gone');
    expect(fake.calls.filter((c) => c.route.startsWith('/channels/')).map((c) => c.status)).toEqual([status]);
  });

  it('a 429 is waited out by the REST client; other failures are thrown for the scheduler to retry', async () => {
    const { poster, tip } = await restPoster();
    fake.failNext('POST', /^\/channels\/\d+\/messages$/, { status: 429, retryAfter: 0.2 });
    expect(await poster.post(fake.channelId, tip)).toBe('sent');
    expect(fake.calls.filter((c) => c.route.startsWith('/channels/')).map((c) => c.status)).toEqual([429, 200]);
    // A bare 404 (say, a wrong DISCORD_API_BASE) must not unsubscribe anyone.
    fake.failNext('POST', /^\/channels\/\d+\/messages$/, { status: 404, body: { message: '404: Not Found', code: 0 } });
    await expect(poster.post(fake.channelId, tip)).rejects.toBeInstanceOf(DiscordAPIError);
  });

  it('reminders turned on with /remind are posted by the scheduler to the channel; one that lost access is unsubscribed', async () => {
    const { reminders } = await startBot();
    await interact(chatInputCommand('remind', subcommand('on', { time: '21:30', timezone: 'Asia/Taipei' }), asManager));
    expect(await reminders.tick(new Date(FIRST_SLOT.getTime() - 60_000))).toMatchObject({ sent: 0 });

    expect(await reminders.tick(FIRST_SLOT)).toMatchObject({ sent: 1, failed: 0 });
    const post = await fake.waitForChannelPost(fake.channelId);
    expect(text(post.body as MessageData)).toContain('Anti-fraud reminder');
    expect(post.body.allowed_mentions).toEqual({ parse: [] });
    // The same slot again posts nothing.
    expect(await reminders.tick(FIRST_SLOT)).toMatchObject({ sent: 0 });

    fake.setChannelState(fake.channelId, 'missing-access');
    expect(await reminders.tick(new Date(FIRST_SLOT.getTime() + 24 * 3_600_000))).toMatchObject({ sent: 0, removed: 1 });
    expect(await reminders.status('discord', fake.channelId)).toBeUndefined();
    expect(fake.channelPosts).toHaveLength(1);
  });
});
