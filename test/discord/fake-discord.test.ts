/**
 * The fake Discord (test/fakes/discord-server.ts) against the real discord.js Client: login over
 * REST + gateway, interactions and their callbacks, Discord's refusals, rate limits, commands.
 */
import { once } from 'node:events';
import { inflateSync, constants as zlibConstants } from 'node:zlib';
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  RESTEvents,
  Routes,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord-server.ts';
import { ALICE, autocomplete, buttonClick, chatInputCommand } from '../fixtures/discord-interactions.ts';

const newClient = (fake: FakeDiscord, intents: GatewayIntentBits[] = [GatewayIntentBits.Guilds]) =>
  new Client({ intents, rest: { api: fake.apiBase } });

async function login(client: Client, token: string): Promise<void> {
  const ready = once(client, Events.ClientReady);
  await client.login(token);
  await ready;
}

/** Rejection of `promise`, for asserting on DiscordAPIError fields. */
async function rejection(promise: Promise<unknown>): Promise<DiscordAPIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiscordAPIError) return error;
    throw error;
  }
  throw new Error('expected the request to be rejected');
}

describe('fake Discord with the real discord.js Client', () => {
  let fake: FakeDiscord;
  let client: Client;

  /** Dispatches INTERACTION_CREATE and resolves with the Interaction discord.js built from it. */
  async function receive<T extends Interaction>(payload: Parameters<FakeDiscord['dispatchInteraction']>[0], ackDeadlineMs?: number) {
    const got = once(client, Events.InteractionCreate) as Promise<[T]>;
    const record = fake.dispatchInteraction(payload, { ackDeadlineMs });
    const [interaction] = await got;
    return { interaction, record };
  }

  beforeAll(async () => {
    fake = await startFakeDiscord();
    client = newClient(fake);
    await login(client, fake.token);
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('logs in over REST + gateway and caches the guild and its channels', () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.name).toBe('Anti-fraud newsroom');
    expect(guild?.roles.everyone.id).toBe(fake.guildId);
    expect(client.channels.cache.get(fake.channelId)?.isTextBased()).toBe(true);

    const gatewayBot = fake.calls.find((c) => c.route === '/gateway/bot');
    expect(gatewayBot).toMatchObject({ method: 'GET', path: '/api/v10/gateway/bot', hasAuth: true, status: 200 });
    expect(JSON.stringify(fake.calls)).not.toContain(fake.token);
    const [session] = fake.sessions();
    expect(session?.intents).toBe(GatewayIntentBits.Guilds);
    expect(session?.identify.token).toBe('[redacted]');
    expect(fake.gatewayLog.some((e) => e.direction === 'out' && e.payload.t === 'GUILD_CREATE')).toBe(true);
  });

  it('replies with an embed and allowed_mentions { parse: [] } (callback type 4)', async () => {
    const { interaction, record } = await receive<ChatInputCommandInteraction>(
      chatInputCommand('ask', { question: '柬埔寨抓了多少人？' }, { locale: 'zh-TW' }),
    );
    expect(interaction.isChatInputCommand()).toBe(true);
    expect(interaction.commandName).toBe('ask');
    expect(interaction.options.getString('question')).toBe('柬埔寨抓了多少人？');
    expect(interaction.locale).toBe('zh-TW');
    expect(interaction.inGuild()).toBe(true);
    expect(interaction.user.id).toBe(ALICE.id);

    await interaction.reply({
      embeds: [new EmbedBuilder().setTitle('答案').setDescription('數百名嫌疑人 <@1291000000000000302>')],
      allowedMentions: { parse: [] },
    });
    const callback = await fake.waitForCallback(record.id);
    expect(callback.type).toBe(4);
    expect(callback.data?.allowed_mentions).toEqual({ parse: [] });
    expect(callback.data?.embeds).toEqual([{ title: '答案', description: '數百名嫌疑人 <@1291000000000000302>' }]);

    const call = fake.calls.find((c) => c.route.startsWith(`/interactions/${record.id}/`));
    expect(call).toMatchObject({ method: 'POST', hasAuth: false, status: 204, query: { with_response: 'false' } });

    const reply = await interaction.fetchReply();
    expect(reply.embeds[0]?.title).toBe('答案');
    expect(reply.author.id).toBe(fake.botUser.id);
    expect(reply.mentions.users.size).toBe(0); // parse: [] → nobody pinged
  });

  it('defers, edits, follows up and deletes (callback type 5, PATCH/POST/DELETE webhooks)', async () => {
    const { interaction, record } = await receive<ChatInputCommandInteraction>(chatInputCommand('summary', {}, { guild: false }));
    expect(interaction.inGuild()).toBe(false);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    expect((await fake.waitForCallback(record.id)).type).toBe(5);
    const loading = fake.message(record.originalId ?? '');
    expect(loading?.flags).toBe(MessageFlags.Ephemeral | MessageFlags.Loading);

    const edited = await interaction.editReply('The article says several hundred suspects were detained.');
    const edit = await fake.waitForEdit(record.id);
    expect(edit.target).toBe('@original');
    expect(edit.body.content).toBe('The article says several hundred suspects were detained.');
    expect(edited.content).toBe('The article says several hundred suspects were detained.');
    expect(edited.flags.has(MessageFlags.Loading)).toBe(false);
    expect(edited.flags.has(MessageFlags.Ephemeral)).toBe(true);

    const followUp = await interaction.followUp({ content: 'Source: paragraph 3', flags: MessageFlags.Ephemeral });
    expect((await fake.waitForFollowUp(record.id)).message.id).toBe(followUp.id);

    await interaction.deleteReply();
    expect(record.deletions).toHaveLength(1);
    expect(await rejection(interaction.fetchReply())).toMatchObject({ code: 10008, status: 404 });
  });

  it('returns the interaction callback response for withResponse: true', async () => {
    const { interaction, record } = await receive<ChatInputCommandInteraction>(chatInputCommand('help'));
    const response = await interaction.reply({ content: 'Commands: /ask /summary', withResponse: true });
    expect(response.interaction.id).toBe(record.id);
    expect(response.resource?.message?.content).toBe('Commands: /ask /summary');
    expect(fake.calls.at(-1)?.query.with_response).toBe('true');
  });

  it('answers autocomplete with choices (type 8) and refuses more than 25', async () => {
    const first = await receive<AutocompleteInteraction>(autocomplete('ask', 'question', '柬埔', { locale: 'zh-TW' }));
    expect(first.interaction.isAutocomplete()).toBe(true);
    expect(first.interaction.options.getFocused(true)).toMatchObject({ name: 'question', value: '柬埔' });
    await first.interaction.respond([
      { name: '柬埔寨抓了多少人？', value: 'q1' },
      { name: '詐騙園區在哪裡？', value: 'q2' },
    ]);
    const callback = await fake.waitForCallback(first.record.id);
    expect(callback).toMatchObject({ type: 8, data: { choices: [{ name: '柬埔寨抓了多少人？', value: 'q1' }, { value: 'q2' }] } });

    const second = await receive<AutocompleteInteraction>(autocomplete('ask', 'question', 'x'));
    const tooMany = Array.from({ length: 26 }, (_, i) => ({ name: `Question ${i}`, value: `q${i}` }));
    const error = await rejection(second.interaction.respond(tooMany));
    expect(error.code).toBe(50035);
    expect(error.rawError).toMatchObject({ errors: { data: { choices: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } });
  });

  it('refuses a second acknowledgement with 40060', async () => {
    const { interaction, record } = await receive<ChatInputCommandInteraction>(chatInputCommand('ask', { question: 'twice?' }));
    // Both calls pass discord.js's own "already replied" check before either returns, so both reach Discord.
    const results = await Promise.allSettled([interaction.reply('first'), interaction.reply('second')]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toBeInstanceOf(DiscordAPIError);
    expect(rejected[0]?.reason).toMatchObject({ code: 40060, status: 400, message: 'Interaction has already been acknowledged.' });
    expect(record.rejected).toHaveLength(1);
  });

  it('refuses a callback after the 3-second window with 10062 (Unknown interaction)', async () => {
    const { interaction } = await receive<ChatInputCommandInteraction>(chatInputCommand('ask', { question: 'slow' }), 30);
    await new Promise((r) => setTimeout(r, 60));
    const error = await rejection(interaction.reply('too late'));
    expect(error).toMatchObject({ code: 10062, status: 404, message: 'Unknown interaction' });
  });

  it('validates message limits like Discord (50035 Invalid Form Body)', async () => {
    const { interaction } = await receive<ChatInputCommandInteraction>(chatInputCommand('ask', { question: 'long' }));
    const error = await rejection(
      interaction.reply({ content: 'x'.repeat(2001), embeds: [{ title: 't'.repeat(257), fields: [{ name: 'n', value: '' }] }] }),
    );
    expect(error.code).toBe(50035);
    expect(error.rawError).toMatchObject({
      message: 'Invalid Form Body',
      errors: {
        data: {
          content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] },
          embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] }, fields: { 0: { value: { _errors: [{}] } } } } },
        },
      },
    });
    // Nothing was acknowledged: a valid reply still goes through.
    await interaction.reply('short');
  });

  it('retries by itself after a scripted 429 on the edit', async () => {
    const { interaction, record } = await receive<ChatInputCommandInteraction>(chatInputCommand('ask', { question: 'rate limit' }));
    await interaction.deferReply();
    const limited: { retryAfter: number; route: string }[] = [];
    const onLimit = (info: { retryAfter: number; route: string }) => limited.push(info);
    client.rest.on(RESTEvents.RateLimited, onLimit);
    fake.failNext('PATCH', /\/messages\/@original$/, { status: 429, retryAfter: 0.2 });
    const started = Date.now();
    try {
      await interaction.editReply('after the rate limit');
    } finally {
      client.rest.off(RESTEvents.RateLimited, onLimit);
    }
    const patches = fake.calls.filter((c) => c.method === 'PATCH' && c.route.includes(record.token));
    expect(patches.map((c) => c.status)).toEqual([429, 200]);
    expect(patches[0]?.response).toEqual({ message: 'You are being rate limited.', retry_after: 0.2, global: false });
    expect(patches[0]?.responseHeaders).toMatchObject({ 'retry-after': '0.2', 'x-ratelimit-remaining': '0', 'x-ratelimit-scope': 'user' });
    expect((patches[1]?.at ?? 0) - (patches[0]?.at ?? 0)).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    // discord.js's own bucket key keeps its percent-encoding of @original.
    expect(limited[0]?.route).toMatch(/^\/webhooks\/:id\/:token\/messages\/(%40|@)original$/);
    expect(record.edits.at(-1)?.message.content).toBe('after the rate limit');
  });

  it('updates the message of a clicked button (callback type 7)', async () => {
    const { interaction, record } = await receive<ButtonInteraction>(buttonClick('src:3', { locale: 'zh-CN' }));
    expect(interaction.isButton()).toBe(true);
    expect(interaction.customId).toBe('src:3');
    await interaction.update({ content: '第 3 段', components: [] });
    expect((await fake.waitForCallback(record.id)).type).toBe(7);
    const message = fake.message(String((record.payload.message as { id: string }).id));
    expect(message?.content).toBe('第 3 段');
    expect(message?.components).toEqual([]);
  });

  it('registers commands by bulk overwrite, validates them, and routes interactions to their ids', async () => {
    const application = client.application;
    if (!application) throw new Error('no application after ready');
    const set = await application.commands.set([
      {
        name: 'ask',
        description: 'Ask about the article',
        nameLocalizations: { 'zh-TW': '提問', 'zh-CN': '提问' },
        descriptionLocalizations: { 'zh-TW': '就文章提問', 'zh-CN': '就文章提问' },
        options: [{ type: 3, name: 'question', description: 'Your question', required: true, autocomplete: true }],
      },
      { name: 'help', description: 'How to use the bot' },
    ]);
    expect([...set.values()].map((c) => c.name)).toEqual(['ask', 'help']);
    expect(fake.commands.global.map((c) => c.name)).toEqual(['ask', 'help']);
    const askId = fake.commands.global[0]?.id;
    expect(set.get(askId ?? '')?.nameLocalizations).toEqual({ 'zh-TW': '提問', 'zh-CN': '提问' });
    expect(fake.calls.at(-1)).toMatchObject({ method: 'PUT', route: `/applications/${fake.applicationId}/commands`, status: 200 });

    // Re-registering keeps the id of a command with the same name, as Discord does.
    await application.commands.set([{ name: 'ask', description: 'Ask again' }]);
    expect(fake.commands.global.map((c) => c.id)).toEqual([askId]);

    const body = [{ name: 'lang', description: 'Language', options: [{ type: 3, name: 'language', description: 'zh-TW, zh-CN or en' }] }];
    const stored = (await client.rest.put(Routes.applicationGuildCommands(fake.applicationId, fake.guildId), { body })) as { id: string }[];
    expect(fake.commands.guilds[fake.guildId]?.map((c) => c.id)).toEqual(stored.map((c) => c.id));

    const { interaction } = await receive<ChatInputCommandInteraction>(chatInputCommand('lang', { language: 'en' }));
    expect(interaction.commandId).toBe(stored[0]?.id);
    expect(interaction.commandGuildId).toBe(fake.guildId);
    await interaction.reply('ok');

    const error = await rejection(
      client.rest.put(Routes.applicationCommands(fake.applicationId), {
        body: [
          { name: 'Ask', description: 'uppercase name' },
          {
            name: 'pick',
            description: '',
            options: [
              { type: 4, name: 'n', description: 'n', choices: Array.from({ length: 26 }, (_, i) => ({ name: `${i}`, value: i })) },
            ],
          },
          { name: 'tw', description: 'bad locale', name_localizations: { zh: '台' } },
        ],
      }),
    );
    expect(error.code).toBe(50035);
    expect(error.rawError).toMatchObject({
      errors: {
        0: { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] } },
        1: { description: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] }, options: { 0: { choices: { _errors: [{}] } } } },
        2: { name_localizations: { zh: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] } } },
      },
    });
    expect(fake.commands.global.map((c) => c.name)).toEqual(['ask']); // unchanged
  });

  it('takes files as multipart, channel messages, and serves /applications/@me', async () => {
    const { interaction, record } = await receive<ChatInputCommandInteraction>(chatInputCommand('source'));
    await interaction.reply({ content: 'The article', files: [{ attachment: Buffer.from('full text'), name: 'article.txt' }] });
    const call = fake.calls.find((c) => c.route.startsWith(`/interactions/${record.id}/`));
    expect(call?.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(call?.files).toEqual([{ field: 'files[0]', filename: 'article.txt', contentType: 'application/octet-stream', size: 9 }]);
    expect((await interaction.fetchReply()).attachments.first()?.name).toBe('article.txt');

    const channel = client.channels.cache.get(fake.channelId);
    if (!channel?.isSendable()) throw new Error('#general is not sendable');
    const sent = await channel.send({ content: 'Hello <@1291000000000000300>', allowedMentions: { users: [] } });
    expect(sent.guildId).toBe(fake.guildId);
    expect(sent.mentions.users.size).toBe(0);

    const app = await client.application?.fetch();
    expect(app?.owner?.id).toBe('1291000000000000300');
    const headers = fake.calls.at(-1)?.responseHeaders ?? {};
    expect(Number(headers['x-ratelimit-remaining'])).toBeGreaterThan(0);
    expect(headers['x-ratelimit-bucket']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('survives a gateway reconnect by resuming the session', async () => {
    const before = fake.sessions()[0];
    fake.requestReconnect();
    const resumed = await fake.waitFor(() => fake.sessions().find((s) => s.resumed > 0 && s.connected), 5_000, 'a resume');
    expect(resumed.sessionId).toBe(before?.sessionId);
    const { interaction } = await receive<ChatInputCommandInteraction>(chatInputCommand('help'));
    await interaction.reply('still here');
  });
});

describe('fake Discord refusals at login', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('fails login with a wrong token (REST 401 on /gateway/bot)', async () => {
    const client = newClient(fake);
    try {
      await expect(client.login('MTI5MTAwMDAwMDAwMDAwMDAwMQ.bad.token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    } finally {
      await client.destroy();
    }
    const call = fake.calls.find((c) => c.route === '/gateway/bot');
    expect(call).toMatchObject({ status: 401, hasAuth: true, response: { message: '401: Unauthorized', code: 0 } });
  });

  it('refuses privileged intents that are not enabled (close 4014)', async () => {
    const client = newClient(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers]);
    try {
      await expect(client.login(fake.token)).rejects.toThrow(/disallowed intents/i);
    } finally {
      await client.destroy();
    }
    expect(fake.closeCodes.at(-1)).toMatchObject({ code: 4014, reason: 'Disallowed intent(s).' });
  });

  it('accepts a privileged intent once it is enabled', async () => {
    const enabled = await startFakeDiscord({ privilegedIntents: GatewayIntentBits.MessageContent });
    const client = newClient(enabled, [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent]);
    try {
      await login(client, enabled.token);
      expect(client.guilds.cache.has(enabled.guildId)).toBe(true);
    } finally {
      await client.destroy();
      await enabled.close();
    }
  });

  it('closes the gateway with 4004 on a wrong IDENTIFY token, and speaks zlib-stream when asked', async () => {
    const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const chunks: Buffer[] = [];
    const decoded = () =>
      inflateSync(Buffer.concat(chunks), { finishFlush: zlibConstants.Z_SYNC_FLUSH })
        .toString('utf8')
        .split(/(?<=\})(?=\{)/)
        .map((s) => JSON.parse(s) as { op: number; d: { heartbeat_interval?: number } });
    const hello = new Promise<void>((resolve) => ws.once('message', () => resolve()));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      expect(isBinary).toBe(true);
      chunks.push(data);
    });
    await hello;
    expect(decoded()[0]).toMatchObject({ op: 10, d: { heartbeat_interval: 41_250 } });
    const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
    ws.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: { os: 'linux', browser: 'test', device: 'test' } } }));
    expect(await closed).toBe(4004);
  });
});
