/**
 * A local fake of Discord — REST API v10 over HTTP plus the gateway over WebSocket — that the real
 * discord.js `Client` logs in to with `new Client({ intents, rest: { api: fake.apiBase } })`.
 *
 * It answers what discord.js asks for (GET /gateway/bot, the IDENTIFY/READY/GUILD_CREATE handshake,
 * heartbeats, RESUME), delivers interactions (INTERACTION_CREATE), and checks what Discord checks:
 * the bot token, privileged intents, the 3-second acknowledgement window, "already acknowledged",
 * message/embed/component limits, command names and localizations. Every REST request is recorded
 * (without the Authorization value), and a request can be scripted to fail (e.g. 429 + retry_after).
 *
 *   const fake = await startFakeDiscord();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
 *   await client.login(fake.token);
 *   const record = fake.dispatchInteraction(chatInputCommand('ask', { question: '…' }));
 *   const callback = await fake.waitForCallback(record.id);
 *
 * Messages the bot posts to a channel (POST /channels/:id/messages: the guild's #general, or the DM
 * channel of a user who has used the bot) are kept in `channelPosts`; `setChannelState` makes a
 * channel answer as Discord does once the bot lost access (403 50001), may not post (403 50013)
 * or the channel was deleted (404 10003).
 *
 * Error bodies follow Discord's shape ({ message, code, errors? }). The top-level codes (40060,
 * 10062, 50035, 50006, 10008, 10015, 50027) are Discord's; the per-field `_errors[].code` strings
 * are Discord's where known (BASE_TYPE_MAX_LENGTH, APPLICATION_COMMAND_INVALID_NAME, …) and
 * plausible stand-ins elsewhere — assert on paths and top-level codes, not on every string.
 *
 * Not modelled: ETF encoding, zstd-stream, voice, member chunking, per-route rate limiting (normal
 * responses always report remaining > 0; 429s happen only when scripted with failNext).
 * Close order matters: destroy the Client before fake.close(), or discord.js keeps reconnecting.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeflate, type Deflate, constants as zlibConstants } from 'node:zlib';
import { GatewayIntentBits, Locale, PermissionFlagsBits } from 'discord.js';
import { type WebSocket, WebSocketServer } from 'ws';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Discord counts characters (code points), not UTF-16 units. */
const charCount = (s: string) => Array.from(s).length;

// ---------------------------------------------------------------------------------------------
// Identities: fixed snowflakes so fixtures and assertions can refer to them.
// ---------------------------------------------------------------------------------------------

const DISCORD_EPOCH = 1420070400000n;
let snowflakeIncrement = 0n;
/** A snowflake for "now" (or `at`), the way Discord mints ids: ms since 2015 << 22 | worker | increment. */
export function snowflake(at = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

export const FAKE_APPLICATION_ID = '1291000000000000001';
export const FAKE_GUILD_ID = '1291000000000000100';
export const FAKE_BOT_ROLE_ID = '1291000000000000101';
export const FAKE_CATEGORY_ID = '1291000000000000200';
export const FAKE_CHANNEL_ID = '1291000000000000201';
export const FAKE_VOICE_CHANNEL_ID = '1291000000000000202';
export const FAKE_OWNER_ID = '1291000000000000300';

/** The bot's user: for a current app its id is the application id. */
export const FAKE_BOT_USER = {
  id: FAKE_APPLICATION_ID,
  username: 'FraudNewsBot',
  discriminator: '4821',
  global_name: null,
  avatar: null,
  bot: true,
  public_flags: 0,
  flags: 0,
  banner: null,
  accent_color: null,
  avatar_decoration_data: null,
  collectibles: null,
  primary_guild: null,
  clan: null,
};

export const FAKE_OWNER_USER = {
  id: FAKE_OWNER_ID,
  username: 'newsroom_owner',
  discriminator: '0',
  global_name: 'Newsroom Owner',
  avatar: null,
  public_flags: 0,
  flags: 0,
  banner: null,
  accent_color: null,
  avatar_decoration_data: null,
  collectibles: null,
  primary_guild: null,
  clan: null,
};

const bits = (...flags: bigint[]) => flags.reduce((a, b) => a | b, 0n).toString();
const P = PermissionFlagsBits;

/** What @everyone may do in a new server (Discord's defaults, roughly). */
export const EVERYONE_PERMISSIONS = bits(
  P.CreateInstantInvite,
  P.AddReactions,
  P.Stream,
  P.ViewChannel,
  P.SendMessages,
  P.EmbedLinks,
  P.AttachFiles,
  P.ReadMessageHistory,
  P.MentionEveryone,
  P.UseExternalEmojis,
  P.Connect,
  P.Speak,
  P.UseVAD,
  P.ChangeNickname,
  P.UseApplicationCommands,
  P.RequestToSpeak,
  P.CreatePublicThreads,
  P.CreatePrivateThreads,
  P.UseExternalStickers,
  P.SendMessagesInThreads,
  P.UseEmbeddedActivities,
  P.SendVoiceMessages,
  P.SendPolls,
  P.UseExternalApps,
);

/** The bot's managed role: what the invite link asked for. */
export const BOT_ROLE_PERMISSIONS = bits(
  P.ViewChannel,
  P.SendMessages,
  P.SendMessagesInThreads,
  P.EmbedLinks,
  P.AttachFiles,
  P.ReadMessageHistory,
  P.UseExternalEmojis,
  P.AddReactions,
  P.UseApplicationCommands,
);

/** app_permissions in the guild: @everyone ∪ the bot role (no channel overwrites in the fake guild). */
export const FAKE_APP_PERMISSIONS = (BigInt(EVERYONE_PERMISSIONS) | BigInt(BOT_ROLE_PERMISSIONS)).toString();
/** app_permissions in DMs, as Discord documents them (ATTACH_FILES, EMBED_LINKS, MENTION_EVERYONE, USE_EXTERNAL_EMOJIS). */
export const DM_APP_PERMISSIONS = bits(P.AttachFiles, P.EmbedLinks, P.MentionEveryone, P.UseExternalEmojis);

const nowIso = (at = Date.now()) => new Date(at).toISOString().replace('Z', '000+00:00');
const GUILD_JOINED_AT = '2025-01-15T08:00:00.000000+00:00';

function fakeGuild(name: string, preferredLocale: string): Json {
  const role = (id: string, roleName: string, permissions: string, position: number, extra: Json = {}) => ({
    id,
    name: roleName,
    description: null,
    permissions,
    position,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    managed: false,
    mentionable: false,
    icon: null,
    unicode_emoji: null,
    flags: 0,
    ...extra,
  });
  return {
    id: FAKE_GUILD_ID,
    name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: FAKE_OWNER_ID,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 1,
    default_message_notifications: 1,
    explicit_content_filter: 2,
    mfa_level: 0,
    nsfw_level: 0,
    nsfw: false,
    features: ['COMMUNITY', 'NEWS'],
    application_id: null,
    system_channel_id: FAKE_CHANNEL_ID,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: preferredLocale,
    max_members: 500000,
    max_presences: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    hub_type: null,
    latest_onboarding_question_id: null,
    incidents_data: null,
    home_header: null,
    inventory_settings: null,
    version: 1736928000000,
    roles: [
      role(FAKE_GUILD_ID, '@everyone', EVERYONE_PERMISSIONS, 0),
      role(FAKE_BOT_ROLE_ID, FAKE_BOT_USER.username, BOT_ROLE_PERMISSIONS, 1, {
        managed: true,
        tags: { bot_id: FAKE_APPLICATION_ID },
      }),
    ],
    emojis: [],
    stickers: [],
    soundboard_sounds: [],
    // GUILD_CREATE-only fields
    joined_at: GUILD_JOINED_AT,
    large: false,
    unavailable: false,
    lazy: true,
    member_count: 4,
    voice_states: [],
    members: [
      {
        user: FAKE_BOT_USER,
        roles: [FAKE_BOT_ROLE_ID],
        nick: null,
        avatar: null,
        banner: null,
        joined_at: GUILD_JOINED_AT,
        premium_since: null,
        deaf: false,
        mute: false,
        pending: false,
        flags: 0,
        communication_disabled_until: null,
      },
    ],
    channels: [
      {
        id: FAKE_CATEGORY_ID,
        type: 4,
        name: 'Newsroom',
        position: 0,
        permission_overwrites: [],
        flags: 0,
        version: 1736928000000,
      },
      {
        id: FAKE_CHANNEL_ID,
        type: 0,
        name: 'general',
        position: 0,
        parent_id: FAKE_CATEGORY_ID,
        topic: 'Questions about the article',
        nsfw: false,
        rate_limit_per_user: 0,
        last_message_id: null,
        last_pin_timestamp: null,
        permission_overwrites: [],
        flags: 0,
        icon_emoji: null,
        theme_color: null,
        version: 1736928000000,
      },
      {
        id: FAKE_VOICE_CHANNEL_ID,
        type: 2,
        name: 'Lounge',
        position: 1,
        parent_id: FAKE_CATEGORY_ID,
        bitrate: 64000,
        user_limit: 0,
        rtc_region: null,
        nsfw: false,
        rate_limit_per_user: 0,
        last_message_id: null,
        permission_overwrites: [],
        flags: 0,
        version: 1736928000000,
      },
    ],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    embedded_activities: [],
    activity_instances: [],
    application_command_counts: {},
  };
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

export interface RestCall {
  method: string;
  /** Full path without the query, e.g. /api/v10/interactions/…/callback */
  path: string;
  /** The path after /api/vN: what failNext patterns are matched against. */
  route: string;
  query: Record<string, string>;
  /** Lower-cased request headers, without `authorization`. */
  headers: Record<string, string>;
  /** Whether an Authorization header was sent (its value is never recorded). */
  hasAuth: boolean;
  body: unknown;
  files: { field: string; filename: string; contentType: string; size: number }[];
  status: number;
  response: unknown;
  /** Response headers the fake sent (x-ratelimit-*, retry-after, …). */
  responseHeaders: Record<string, string>;
  at: number;
}

export interface CallbackRecord {
  type: number;
  data: Json | undefined;
  at: number;
  withResponse: boolean;
}

export interface MessageChange {
  /** '@original' or a message id, as it appeared in the URL. */
  target: string;
  body: Json;
  message: Json;
  at: number;
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  payload: Json;
  dispatchedAt: number;
  /** Deadline for the first callback (Discord: 3 s). */
  ackDeadlineMs: number;
  callback?: CallbackRecord;
  /** Callback attempts the fake refused (second acknowledgement, too late, invalid). */
  rejected: { status: number; body: unknown; at: number }[];
  edits: MessageChange[];
  followUps: MessageChange[];
  deletions: { target: string; at: number }[];
  /** Id of the message "@original" points at, once there is one. */
  originalId?: string;
}

export interface StoredCommand extends Json {
  id: string;
  application_id: string;
  version: string;
  type: number;
  name: string;
  description: string;
}

export interface GatewaySessionInfo {
  sessionId: string;
  intents: number;
  identify: Json;
  /** Whether a socket is attached right now. */
  connected: boolean;
  resumed: number;
  seq: number;
}

export interface ChannelPost {
  channelId: string;
  body: Json;
  /** The message as Discord returned it. */
  message: Json;
  at: number;
}

/** How a channel answers the bot's posts: as usual, or as Discord does once it is out of reach. */
export type ChannelState = 'ok' | 'missing-access' | 'missing-permissions' | 'unknown';

export type FailureScript =
  | { status: 429; retryAfter: number; global?: boolean; scope?: 'user' | 'shared' | 'global' }
  | { status: number; body?: unknown; headers?: Record<string, string> };

export interface FakeDiscordOptions {
  /** The bot token the fake accepts. */
  token?: string;
  /** Privileged intents switched on in the developer portal (bitfield). Default: none. */
  privilegedIntents?: number;
  /** heartbeat_interval sent in HELLO (Discord: 41250 ms). */
  heartbeatIntervalMs?: number;
  /** Time an interaction may go unacknowledged (Discord: 3000 ms). */
  interactionTimeoutMs?: number;
  /** Lifetime of an interaction token for follow-ups/edits (Discord: 15 min). */
  tokenLifetimeMs?: number;
  guildName?: string;
  guildLocale?: string;
}

export interface FakeDiscord {
  /** Pass as `rest: { api }`: discord.js appends /v10/… itself. */
  apiBase: string;
  gatewayUrl: string;
  token: string;
  applicationId: string;
  guildId: string;
  channelId: string;
  botUser: typeof FAKE_BOT_USER;
  /** The GUILD_CREATE payload sent to clients with the GUILDS intent. */
  guild: Json;
  calls: RestCall[];
  /** Registered application commands (bulk overwrite replaces the list). */
  commands: { global: StoredCommand[]; guilds: Record<string, StoredCommand[]> };
  interactions: Map<string, InteractionRecord>;
  /** Every gateway payload in either direction (tokens redacted). */
  gatewayLog: { direction: 'in' | 'out'; payload: Json; at: number }[];
  /** Gateway close codes the fake sent, in order. */
  closeCodes: { code: number; reason: string; at: number }[];
  sessions(): GatewaySessionInfo[];
  /** Sends INTERACTION_CREATE to every ready session and starts tracking what happens to it. */
  dispatchInteraction<T extends { id: string; token: string; type: number }>(
    payload: T,
    options?: { ackDeadlineMs?: number },
  ): InteractionRecord;
  /** Sends any dispatch event (op 0) to every ready session; returns how many got it. */
  dispatch(event: string, data: unknown): number;
  /** Asks clients to reconnect (op 7); discord.js then RESUMEs. */
  requestReconnect(): void;
  /**
   * Makes the next `times` requests matching method + pattern fail as scripted. The pattern is tested
   * against the percent-decoded path after /api/vN, e.g. /webhooks/<app>/<token>/messages/@original.
   */
  failNext(method: string, pathPattern: RegExp, failure: FailureScript, times?: number): void;
  waitFor<T>(check: () => T | undefined | null | false, ms?: number, what?: string): Promise<T>;
  waitForSession(ms?: number): Promise<GatewaySessionInfo>;
  waitForCallback(interactionId: string, ms?: number): Promise<CallbackRecord>;
  waitForEdit(interactionId: string, ms?: number, count?: number): Promise<MessageChange>;
  waitForFollowUp(interactionId: string, ms?: number, count?: number): Promise<MessageChange>;
  /** Current state of a message the fake holds (interaction responses, follow-ups, channel messages). */
  message(id: string): Json | undefined;
  /** Messages posted to channels (not interaction replies), in order. */
  channelPosts: ChannelPost[];
  /** From now on the channel answers the bot's posts as `state` says (403 / 404 like Discord). */
  setChannelState(channelId: string, state: ChannelState): void;
  waitForChannelPost(channelId: string, ms?: number, count?: number): Promise<ChannelPost>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Validation like Discord's: 400 { message: 'Invalid Form Body', code: 50035, errors: {...} }
// ---------------------------------------------------------------------------------------------

type Path = (string | number)[];

class FormErrors {
  tree: Json = {};
  count = 0;
  add(path: Path, code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const next = node[String(key)];
      if (isObj(next)) node = next;
      else {
        const created: Json = {};
        node[String(key)] = created;
        node = created;
      }
    }
    const list = Array.isArray(node._errors) ? (node._errors as Json[]) : [];
    list.push({ code, message });
    node._errors = list;
    this.count++;
  }
  get body(): Json {
    return { message: 'Invalid Form Body', code: 50035, errors: this.tree };
  }
}

function checkString(errs: FormErrors, path: Path, value: unknown, min: number, max: number, required = false): void {
  if (value === undefined || value === null) {
    if (required) errs.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  if (typeof value !== 'string') {
    errs.add(path, 'BASE_TYPE_STRING', `Could not interpret "${String(value)}" as string.`);
    return;
  }
  const n = charCount(value);
  if (min > 0 && (n < min || n > max)) errs.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
  else if (n > max) errs.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
}

function checkArrayMax(errs: FormErrors, path: Path, value: unknown, max: number): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errs.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return [];
  }
  if (value.length > max) errs.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  return value;
}

const VALID_LOCALES = new Set<string>(Object.values(Locale));
/** Discord's rule for CHAT_INPUT command and option names. */
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkCommandName(errs: FormErrors, path: Path, name: unknown, chatInput: boolean): void {
  if (typeof name !== 'string') {
    checkString(errs, path, name, 1, 32, true);
    return;
  }
  if (chatInput) {
    if (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase())
      errs.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  } else checkString(errs, path, name, 1, 32, true);
}

function checkLocalizations(errs: FormErrors, path: Path, value: unknown, checkValue: (path: Path, v: unknown) => void): void {
  if (value === undefined || value === null) return;
  if (!isObj(value)) {
    errs.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return;
  }
  for (const [locale, text] of Object.entries(value)) {
    if (!VALID_LOCALES.has(locale)) {
      errs.add([...path, locale], 'BASE_TYPE_CHOICES', `Value must be one of (${[...VALID_LOCALES].map((l) => `'${l}'`).join(', ')}).`);
      continue;
    }
    checkValue([...path, locale], text);
  }
}

const OPTION_TYPES_WITH_CHOICES = new Set([3, 4, 10]);

/** Returns the characters this option counts toward the 4000-character command limit. */
function checkOptions(errs: FormErrors, path: Path, value: unknown, depth: number): number {
  const options = checkArrayMax(errs, path, value, 25);
  let size = 0;
  let seenOptional = false;
  const names = new Set<string>();
  options.forEach((raw, i) => {
    const at = [...path, i];
    if (!isObj(raw)) {
      errs.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    const type = raw.type;
    if (typeof type !== 'number' || type < 1 || type > 11) {
      errs.add([...at, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.');
      return;
    }
    checkCommandName(errs, [...at, 'name'], raw.name, true);
    if (typeof raw.name === 'string') {
      if (names.has(raw.name))
        errs.add([...at, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique within a command');
      names.add(raw.name);
      size += charCount(raw.name);
    }
    checkString(errs, [...at, 'description'], raw.description, 1, 100, true);
    if (typeof raw.description === 'string') size += charCount(raw.description);
    checkLocalizations(errs, [...at, 'name_localizations'], raw.name_localizations, (p, v) => checkCommandName(errs, p, v, true));
    checkLocalizations(errs, [...at, 'description_localizations'], raw.description_localizations, (p, v) =>
      checkString(errs, p, v, 1, 100, true),
    );
    if (type === 1 || type === 2) {
      if (depth >= (type === 2 ? 1 : 2))
        errs.add(
          [...at, 'type'],
          'APPLICATION_COMMAND_OPTION_TYPE_INVALID',
          'Sub-command and sub-command group option types are mutually exclusive to all other types',
        );
      if (type === 2 && Array.isArray(raw.options) && raw.options.some((o) => isObj(o) && o.type !== 1))
        errs.add([...at, 'options'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Sub-command groups may only contain sub-commands');
      size += checkOptions(errs, [...at, 'options'], raw.options, depth + 1);
      return;
    }
    if (raw.required === true && seenOptional)
      errs.add(
        [...at, 'required'],
        'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        'Required options must be placed before non-required options',
      );
    if (raw.required !== true) seenOptional = true;
    if (raw.choices !== undefined && raw.choices !== null) {
      if (!OPTION_TYPES_WITH_CHOICES.has(type))
        errs.add([...at, 'choices'], 'APPLICATION_COMMAND_OPTION_CHOICES_INVALID', 'Choices are not allowed for this option type');
      if (raw.autocomplete === true)
        errs.add([...at, 'autocomplete'], 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID', 'Autocomplete cannot be set with choices');
      checkArrayMax(errs, [...at, 'choices'], raw.choices, 25).forEach((choice, j) => {
        const cp = [...at, 'choices', j];
        if (!isObj(choice)) {
          errs.add(cp, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
          return;
        }
        checkString(errs, [...cp, 'name'], choice.name, 1, 100, true);
        checkLocalizations(errs, [...cp, 'name_localizations'], choice.name_localizations, (p, v) => checkString(errs, p, v, 1, 100, true));
        if (typeof choice.name === 'string') size += charCount(choice.name);
        if (type === 3) checkString(errs, [...cp, 'value'], choice.value, 1, 100, true);
        else if (typeof choice.value !== 'number' || (type === 4 && !Number.isInteger(choice.value)))
          errs.add([...cp, 'value'], 'NUMBER_TYPE_COERCE', `Value "${String(choice.value)}" is not ${type === 4 ? 'int' : 'a number'}.`);
        size += charCount(String(choice.value ?? ''));
      });
    }
    if (raw.min_length !== undefined && (typeof raw.min_length !== 'number' || raw.min_length < 0 || raw.min_length > 6000))
      errs.add([...at, 'min_length'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 6000.');
    if (raw.max_length !== undefined && (typeof raw.max_length !== 'number' || raw.max_length < 1 || raw.max_length > 6000))
      errs.add([...at, 'max_length'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 6000.');
  });
  return size;
}

function checkCommands(body: unknown): FormErrors {
  const errs = new FormErrors();
  if (!Array.isArray(body)) {
    errs.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return errs;
  }
  if (body.filter((c) => !isObj(c) || (c.type ?? 1) === 1).length > 100)
    errs.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  const seen = new Set<string>();
  body.forEach((raw, i) => {
    if (!isObj(raw)) {
      errs.add([i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    const type = raw.type ?? 1;
    if (type !== 1 && type !== 2 && type !== 3 && type !== 4) {
      errs.add([i, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4}.');
      return;
    }
    const chatInput = type === 1;
    checkCommandName(errs, [i, 'name'], raw.name, chatInput);
    const key = `${String(type)}:${String(raw.name)}`;
    if (seen.has(key)) errs.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
    seen.add(key);
    checkLocalizations(errs, [i, 'name_localizations'], raw.name_localizations, (p, v) => checkCommandName(errs, p, v, chatInput));
    if (chatInput) {
      checkString(errs, [i, 'description'], raw.description, 1, 100, true);
      checkLocalizations(errs, [i, 'description_localizations'], raw.description_localizations, (p, v) =>
        checkString(errs, p, v, 1, 100, true),
      );
    } else if (typeof raw.description === 'string' && raw.description !== '')
      errs.add([i, 'description'], 'BASE_TYPE_MAX_LENGTH', 'Must be 0 or fewer in length.');
    if (raw.options !== undefined && raw.options !== null && !chatInput)
      errs.add([i, 'options'], 'APPLICATION_COMMAND_OPTIONS_INVALID', 'Only chat input commands can have options');
    const size =
      charCount(String(raw.name ?? '')) +
      charCount(String(raw.description ?? '')) +
      (chatInput ? checkOptions(errs, [i, 'options'], raw.options, 0) : 0);
    if (size > 4000) errs.add([i], 'APPLICATION_COMMAND_TOO_LARGE', 'Command exceeds maximum size (4000)');
    if (
      raw.default_member_permissions !== undefined &&
      raw.default_member_permissions !== null &&
      !/^\d+$/.test(String(raw.default_member_permissions))
    )
      errs.add([i, 'default_member_permissions'], 'NUMBER_TYPE_COERCE', `Value "${String(raw.default_member_permissions)}" is not int.`);
    for (const [field, allowed] of [
      ['contexts', [0, 1, 2]],
      ['integration_types', [0, 1]],
    ] as const) {
      const list = raw[field];
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) errs.add([i, field], 'BASE_TYPE_ARRAY', 'Must be an array.');
      else
        list.forEach((v, j) => {
          if (!(allowed as readonly unknown[]).includes(v))
            errs.add([i, field, j], 'ENUM_TYPE_COERCE', `Value "${String(v)}" is not a valid enum value.`);
        });
    }
  });
  return errs;
}

const BUTTON = 2;
const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);
const IS_COMPONENTS_V2 = 1 << 15;
const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;

function checkComponents(errs: FormErrors, path: Path, value: unknown, flags: number): void {
  if (value === undefined || value === null) return;
  const customIds = new Set<string>();
  const checkCustomId = (p: Path, id: unknown, required: boolean) => {
    checkString(errs, p, id, 1, 100, required);
    if (typeof id === 'string') {
      if (customIds.has(id)) errs.add(p, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      customIds.add(id);
    }
  };
  if (flags & IS_COMPONENTS_V2) {
    // Components V2: layout is free-form; check the 40-component cap and custom ids only.
    let total = 0;
    const walk = (node: unknown, p: Path) => {
      if (!isObj(node)) return;
      total++;
      if ('custom_id' in node) checkCustomId([...p, 'custom_id'], node.custom_id, true);
      for (const key of ['components', 'items']) {
        const children = node[key];
        if (Array.isArray(children))
          children.forEach((c, i) => {
            walk(c, [...p, key, i]);
          });
      }
      if (isObj(node.accessory)) walk(node.accessory, [...p, 'accessory']);
    };
    checkArrayMax(errs, path, value, 40).forEach((c, i) => {
      walk(c, [...path, i]);
    });
    if (total > 40) errs.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 40 or fewer in length.');
    return;
  }
  checkArrayMax(errs, path, value, 5).forEach((row, i) => {
    const rp = [...path, i];
    if (!isObj(row) || row.type !== 1) {
      errs.add([...rp, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
      return;
    }
    const children = Array.isArray(row.components) ? row.components : [];
    if (children.length < 1 || children.length > 5)
      errs.add([...rp, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    children.forEach((c, j) => {
      const cp = [...rp, 'components', j];
      if (!isObj(c)) {
        errs.add(cp, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
        return;
      }
      if (c.type === BUTTON) {
        const style = c.style;
        if (typeof style !== 'number' || style < 1 || style > 6)
          errs.add([...cp, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6}.');
        if (style === 5) {
          checkString(errs, [...cp, 'url'], c.url, 1, 512, true);
          if (c.custom_id !== undefined)
            errs.add([...cp, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_INVALID', 'A link button cannot have a custom id');
        } else if (style !== 6) checkCustomId([...cp, 'custom_id'], c.custom_id, true);
        checkString(errs, [...cp, 'label'], c.label, 0, 80);
        if (style !== 6 && (c.label === undefined || c.label === '') && c.emoji === undefined)
          errs.add([...cp, 'label'], 'BUTTON_COMPONENT_LABEL_REQUIRED', 'A button must have a label or an emoji');
      } else if (typeof c.type === 'number' && SELECT_TYPES.has(c.type)) {
        if (children.length > 1) errs.add(cp, 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
        checkCustomId([...cp, 'custom_id'], c.custom_id, true);
        checkString(errs, [...cp, 'placeholder'], c.placeholder, 0, 150);
        if (c.type === 3) {
          const options = Array.isArray(c.options) ? c.options : [];
          if (options.length < 1 || options.length > 25)
            errs.add([...cp, 'options'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 25 in length.');
          options.forEach((o, k) => {
            if (!isObj(o)) return;
            checkString(errs, [...cp, 'options', k, 'label'], o.label, 1, 100, true);
            checkString(errs, [...cp, 'options', k, 'value'], o.value, 1, 100, true);
            checkString(errs, [...cp, 'options', k, 'description'], o.description, 0, 100);
          });
        }
      } else errs.add([...cp, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).');
    });
  });
}

function checkEmbeds(errs: FormErrors, path: Path, value: unknown): void {
  const embeds = checkArrayMax(errs, path, value, 10);
  let total = 0;
  embeds.forEach((embed, i) => {
    const ep = [...path, i];
    if (!isObj(embed)) {
      errs.add(ep, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return;
    }
    const count = (v: unknown) => (typeof v === 'string' ? charCount(v) : 0);
    checkString(errs, [...ep, 'title'], embed.title, 0, 256);
    checkString(errs, [...ep, 'description'], embed.description, 0, 4096);
    total += count(embed.title) + count(embed.description);
    if (typeof embed.color === 'number' && (embed.color < 0 || embed.color > 0xffffff))
      errs.add([...ep, 'color'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
    checkArrayMax(errs, [...ep, 'fields'], embed.fields, 25).forEach((field, j) => {
      if (!isObj(field)) return;
      checkString(errs, [...ep, 'fields', j, 'name'], field.name, 1, 256, true);
      checkString(errs, [...ep, 'fields', j, 'value'], field.value, 1, 1024, true);
      total += count(field.name) + count(field.value);
    });
    if (isObj(embed.footer)) {
      checkString(errs, [...ep, 'footer', 'text'], embed.footer.text, 1, 2048, true);
      total += count(embed.footer.text);
    }
    if (isObj(embed.author)) {
      checkString(errs, [...ep, 'author', 'name'], embed.author.name, 1, 256, true);
      total += count(embed.author.name);
    }
  });
  if (total > 6000) errs.add(path, 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

function checkAllowedMentions(errs: FormErrors, path: Path, value: unknown): void {
  if (value === undefined || value === null) return;
  if (!isObj(value)) {
    errs.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return;
  }
  const parse = checkArrayMax(errs, [...path, 'parse'], value.parse, 3);
  parse.forEach((p, i) => {
    if (p !== 'users' && p !== 'roles' && p !== 'everyone')
      errs.add([...path, 'parse', i], 'BASE_TYPE_CHOICES', "Value must be one of ('everyone', 'roles', 'users').");
  });
  for (const kind of ['users', 'roles'] as const) {
    const list = checkArrayMax(errs, [...path, kind], value[kind], 100);
    if (list.length > 0 && parse.includes(kind))
      errs.add(
        [...path, 'parse'],
        'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
      );
  }
}

function checkMessage(errs: FormErrors, path: Path, body: Json): void {
  checkString(errs, [...path, 'content'], body.content, 0, 2000);
  checkEmbeds(errs, [...path, 'embeds'], body.embeds);
  checkComponents(errs, [...path, 'components'], body.components, typeof body.flags === 'number' ? body.flags : 0);
  checkAllowedMentions(errs, [...path, 'allowed_mentions'], body.allowed_mentions);
}

const safeDecode = (path: string) => {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
};

const isEmptyMessage = (m: Json, files: number) =>
  (typeof m.content !== 'string' || m.content.length === 0) &&
  (!Array.isArray(m.embeds) || m.embeds.length === 0) &&
  (!Array.isArray(m.components) || m.components.length === 0) &&
  (!Array.isArray(m.attachments) || m.attachments.length === 0) &&
  (!Array.isArray(m.sticker_ids) || m.sticker_ids.length === 0) &&
  m.poll == null &&
  files === 0;

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

const ERR = {
  unauthorized: { message: '401: Unauthorized', code: 0 },
  notFound: { message: '404: Not Found', code: 0 },
  unknownInteraction: { message: 'Unknown interaction', code: 10062 },
  alreadyAcknowledged: { message: 'Interaction has already been acknowledged.', code: 40060 },
  unknownWebhook: { message: 'Unknown Webhook', code: 10015 },
  invalidWebhookToken: { message: 'Invalid Webhook Token', code: 50027 },
  unknownMessage: { message: 'Unknown Message', code: 10008 },
  unknownChannel: { message: 'Unknown Channel', code: 10003 },
  missingAccess: { message: 'Missing Access', code: 50001 },
  missingPermissions: { message: 'Missing Permissions', code: 50013 },
  emptyMessage: { message: 'Cannot send an empty message', code: 50006 },
  invalidJson: { message: 'The request body contains invalid JSON.', code: 50109 },
  invalidVersion: { message: 'Invalid API version provided', code: 50041 },
} as const;

const PRIVILEGED_INTENTS = GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
const VALID_INTENTS = Object.values(GatewayIntentBits)
  .filter((v): v is number => typeof v === 'number')
  .reduce((a, b) => a | b, 0);

/** Application flags Discord sets when a privileged intent is switched on (< 100 servers: the *_LIMITED ones). */
function applicationFlags(privileged: number): number {
  let flags = 1 << 23; // APPLICATION_COMMAND_BADGE
  if (privileged & GatewayIntentBits.GuildPresences) flags |= 1 << 13;
  if (privileged & GatewayIntentBits.GuildMembers) flags |= 1 << 15;
  if (privileged & GatewayIntentBits.MessageContent) flags |= 1 << 19;
  return flags;
}

function makeBotToken(): string {
  const id = Buffer.from(FAKE_APPLICATION_ID).toString('base64').replace(/=+$/, '');
  return `${id}.${randomBytes(4).toString('base64url').slice(0, 6)}.${randomBytes(28).toString('base64url').slice(0, 38)}`;
}

interface Session {
  id: string;
  intents: number;
  identify: Json;
  seq: number;
  /** Dispatches sent, kept for RESUME. */
  buffer: { s: number; t: string; d: unknown }[];
  socket: Connection | null;
  resumable: boolean;
  resumed: number;
}

interface Connection {
  ws: WebSocket;
  session: Session | null;
  send(payload: Json): void;
  close(code: number, reason: string): void;
}

interface Waiter {
  check: () => boolean;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = options.token ?? makeBotToken();
  const privileged = options.privilegedIntents ?? 0;
  const heartbeatInterval = options.heartbeatIntervalMs ?? 41_250;
  const interactionTimeoutMs = options.interactionTimeoutMs ?? 3_000;
  const tokenLifetimeMs = options.tokenLifetimeMs ?? 15 * 60_000;
  const guild = fakeGuild(options.guildName ?? 'Anti-fraud newsroom', options.guildLocale ?? 'en-US');

  const calls: RestCall[] = [];
  const commands: FakeDiscord['commands'] = { global: [], guilds: {} };
  const interactions = new Map<string, InteractionRecord>();
  const byToken = new Map<string, InteractionRecord>();
  const messages = new Map<string, Json>();
  const knownUsers = new Map<string, Json>([
    [FAKE_BOT_USER.id, FAKE_BOT_USER],
    [FAKE_OWNER_USER.id, FAKE_OWNER_USER],
  ]);
  const failures: { method: string; pattern: RegExp; failure: FailureScript; times: number }[] = [];
  const channelPosts: ChannelPost[] = [];
  const channelStates = new Map<string, ChannelState>();
  /** DM channels Discord opened between users and the bot (seen in interactions). */
  const dmChannels = new Set<string>();
  const gatewayLog: FakeDiscord['gatewayLog'] = [];
  const closeCodes: FakeDiscord['closeCodes'] = [];
  const sessions = new Map<string, Session>();
  const connections = new Set<Connection>();
  const waiters = new Set<Waiter>();
  const buckets = new Map<string, { start: number; count: number }>();

  const notify = () => {
    for (const w of [...waiters]) if (w.check()) waiters.delete(w);
  };

  // -------------------------------------------------------------------------- gateway
  const redact = (payload: Json): Json => {
    if (isObj(payload.d) && typeof payload.d.token === 'string') return { ...payload, d: { ...payload.d, token: '[redacted]' } };
    return payload;
  };

  const sessionInfo = (s: Session): GatewaySessionInfo => ({
    sessionId: s.id,
    intents: s.intents,
    identify: s.identify,
    connected: s.socket !== null,
    resumed: s.resumed,
    seq: s.seq,
  });

  const sendDispatch = (session: Session, t: string, d: unknown) => {
    const s = ++session.seq;
    session.buffer.push({ s, t, d });
    if (session.buffer.length > 1000) session.buffer.shift();
    session.socket?.send({ op: 0, t, s, d });
  };

  const readyPayload = (session: Session) => ({
    v: 10,
    user_settings: {},
    user: { ...FAKE_BOT_USER, verified: true, mfa_enabled: true, email: null },
    guilds: [{ id: FAKE_GUILD_ID, unavailable: true }],
    guild_join_requests: [],
    relationships: [],
    private_channels: [],
    presences: [],
    session_id: session.id,
    session_type: 'normal',
    resume_gateway_url: gatewayUrl,
    shard: [0, 1],
    application: { id: FAKE_APPLICATION_ID, flags: applicationFlags(privileged) },
    geo_ordered_rtc_regions: ['hongkong', 'singapore', 'japan', 'india', 'sydney'],
    auth: {},
    _trace: ['["gateway-prd-fake-0",{"micros":1234,"calls":[]}]'],
  });

  const onGatewayPayload = (conn: Connection, payload: Json) => {
    const op = payload.op;
    const d = payload.d;
    switch (op) {
      case 1: // HEARTBEAT
        conn.send({ op: 11, d: null, s: null, t: null });
        return;
      case 2: {
        // IDENTIFY
        if (conn.session) return conn.close(4005, 'Already authenticated.');
        if (!isObj(d)) return conn.close(4002, 'Error while decoding payload.');
        if (d.token !== token && d.token !== `Bot ${token}`) return conn.close(4004, 'Authentication failed.');
        const intents = d.intents;
        if (typeof intents !== 'number' || !Number.isInteger(intents) || intents < 0 || (intents & ~VALID_INTENTS) !== 0)
          return conn.close(4013, 'Invalid intent(s).');
        if ((intents & PRIVILEGED_INTENTS & ~privileged) !== 0) return conn.close(4014, 'Disallowed intent(s).');
        const shard = d.shard;
        if (shard !== undefined && (!Array.isArray(shard) || shard.length !== 2 || shard[0] !== 0 || shard[1] !== 1))
          return conn.close(4010, 'Invalid shard.');
        const session: Session = {
          id: randomBytes(16).toString('hex'),
          intents,
          identify: redact(payload).d as Json,
          seq: 0,
          buffer: [],
          socket: conn,
          resumable: true,
          resumed: 0,
        };
        sessions.set(session.id, session);
        conn.session = session;
        sendDispatch(session, 'READY', readyPayload(session));
        if (intents & GatewayIntentBits.Guilds) sendDispatch(session, 'GUILD_CREATE', guild);
        notify();
        return;
      }
      case 6: {
        // RESUME
        if (conn.session) return conn.close(4005, 'Already authenticated.');
        if (!isObj(d)) return conn.close(4002, 'Error while decoding payload.');
        if (d.token !== token && d.token !== `Bot ${token}`) return conn.close(4004, 'Authentication failed.');
        const session = typeof d.session_id === 'string' ? sessions.get(d.session_id) : undefined;
        const seq = typeof d.seq === 'number' ? d.seq : -1;
        const oldest = session?.buffer[0]?.s ?? 1;
        if (!session?.resumable || seq > session.seq || seq < oldest - 1) {
          conn.send({ op: 9, d: false, s: null, t: null });
          return;
        }
        session.socket?.close(4000, 'Session resumed elsewhere.');
        session.socket = conn;
        conn.session = session;
        session.resumed++;
        for (const event of session.buffer) if (event.s > seq) conn.send({ op: 0, t: event.t, s: event.s, d: event.d });
        sendDispatch(session, 'RESUMED', { _trace: ['["gateway-prd-fake-0",{"micros":321}]'] });
        notify();
        return;
      }
      case 3: // PRESENCE UPDATE
      case 4: // VOICE STATE UPDATE
      case 8: // REQUEST GUILD MEMBERS
      case 31: // REQUEST SOUNDBOARD SOUNDS
        if (!conn.session) return conn.close(4003, 'Not authenticated.');
        return;
      default:
        return conn.close(4001, 'Unknown opcode.');
    }
  };

  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const compress = url.searchParams.get('compress');
    let deflate: Deflate | null = null;
    let chain = Promise.resolve();
    if (compress === 'zlib-stream') deflate = createDeflate({ chunkSize: 65535 });
    const conn: Connection = {
      ws,
      session: null,
      send(payload) {
        gatewayLog.push({ direction: 'out', payload, at: Date.now() });
        const text = JSON.stringify(payload);
        const z = deflate;
        if (!z) {
          if (ws.readyState === ws.OPEN) ws.send(text);
          return;
        }
        // zlib-stream: one shared deflate context, each payload ends with a Z_SYNC_FLUSH (00 00 ff ff).
        chain = chain.then(
          () =>
            new Promise<void>((resolve) => {
              z.write(text);
              z.flush(zlibConstants.Z_SYNC_FLUSH, () => {
                const parts: Buffer[] = [];
                for (let chunk = z.read() as Buffer | null; chunk !== null; chunk = z.read() as Buffer | null) parts.push(chunk);
                if (ws.readyState === ws.OPEN) ws.send(Buffer.concat(parts));
                resolve();
              });
            }),
        );
      },
      close(code, reason) {
        closeCodes.push({ code, reason, at: Date.now() });
        // Closed by Discord: the session is gone, unless it is a "resume elsewhere" (4000).
        if (conn.session && conn.session.socket === conn && code !== 4000) conn.session.resumable = false;
        chain.then(() => ws.close(code, reason)).catch(() => ws.terminate());
        notify();
      },
    };
    connections.add(conn);
    ws.on('message', (raw) => {
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString());
      } catch {
        return conn.close(4002, 'Error while decoding payload.');
      }
      if (!isObj(payload)) return conn.close(4002, 'Error while decoding payload.');
      gatewayLog.push({ direction: 'in', payload: redact(payload), at: Date.now() });
      onGatewayPayload(conn, payload);
    });
    ws.on('close', (code) => {
      connections.delete(conn);
      deflate?.destroy();
      const session = conn.session;
      if (session && session.socket === conn) {
        session.socket = null;
        // A client closing with 1000/1001 ends its session; anything else (discord.js uses 4200) may resume.
        if (code === 1000 || code === 1001) session.resumable = false;
      }
      notify();
    });
    ws.on('error', () => {});
    conn.send({
      op: 10,
      d: { heartbeat_interval: heartbeatInterval, _trace: ['["gateway-prd-fake-0",{"micros":0.0}]'] },
      s: null,
      t: null,
    });
  });

  // -------------------------------------------------------------------------- REST helpers
  const routeTemplate = (route: string) =>
    route
      .replace(/\/\d{16,20}/g, '/:id')
      .replace(/\/(interactions\/:id|webhooks\/:id)\/[^/]+/, '/$1/:token')
      .replace(/\/messages\/@original/, '/messages/:id');
  const bucketHash = (method: string, route: string) =>
    createHash('sha1')
      .update(`${method} ${routeTemplate(route)}`)
      .digest('hex')
      .slice(0, 32);

  const rateLimitHeaders = (method: string, route: string): Record<string, string> => {
    const key = `${method} ${routeTemplate(route)}`;
    const now = Date.now();
    let b = buckets.get(key);
    if (!b || now - b.start >= 1000) {
      b = { start: now, count: 0 };
      buckets.set(key, b);
    }
    b.count++;
    const limit = 5;
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(1, limit - b.count)),
      'x-ratelimit-reset': ((b.start + 1000) / 1000).toFixed(3),
      'x-ratelimit-reset-after': ((b.start + 1000 - now) / 1000).toFixed(3),
      'x-ratelimit-bucket': bucketHash(method, route),
    };
  };

  const resolveUser = (id: string): Json =>
    knownUsers.get(id) ?? { id, username: `user${id.slice(-4)}`, discriminator: '0', global_name: null, avatar: null, public_flags: 0 };

  /** mentions/mention_roles/mention_everyone as Discord derives them from content under allowed_mentions. */
  const resolveMentions = (content: string, allowed: unknown) => {
    const parse = isObj(allowed) && Array.isArray(allowed.parse) ? (allowed.parse as unknown[]) : null;
    const listed = (kind: 'users' | 'roles') => (isObj(allowed) && Array.isArray(allowed[kind]) ? (allowed[kind] as unknown[]) : []);
    const may = (kind: 'users' | 'roles' | 'everyone', id?: string) =>
      !isObj(allowed) || (parse?.includes(kind) ?? false) || (id !== undefined && kind !== 'everyone' && listed(kind).includes(id));
    const userIds = [...new Set([...content.matchAll(/<@!?(\d{15,20})>/g)].map((m) => m[1] as string))].filter((id) => may('users', id));
    const roleIds = [...new Set([...content.matchAll(/<@&(\d{15,20})>/g)].map((m) => m[1] as string))].filter((id) => may('roles', id));
    return {
      mentions: userIds.map(resolveUser),
      mention_roles: roleIds,
      mention_everyone: /@(everyone|here)\b/.test(content) && may('everyone'),
    };
  };

  const normalizeEmbeds = (embeds: unknown) =>
    Array.isArray(embeds) ? embeds.filter(isObj).map((e) => ({ type: 'rich', content_scan_version: 0, ...e })) : [];

  const attachmentsFor = (files: RestCall['files']) =>
    files.map((f) => {
      const id = snowflake();
      return {
        id,
        filename: f.filename,
        size: f.size,
        content_type: f.contentType,
        url: `https://cdn.discordapp.com/attachments/${FAKE_CHANNEL_ID}/${id}/${f.filename}`,
        proxy_url: `https://media.discordapp.net/attachments/${FAKE_CHANNEL_ID}/${id}/${f.filename}`,
      };
    });

  const interactionMetadata = (rec: InteractionRecord) => {
    const p = rec.payload;
    const user = isObj(p.member) ? p.member.user : p.user;
    const data = isObj(p.data) ? p.data : {};
    return {
      interaction_metadata: {
        id: rec.id,
        type: rec.type,
        user,
        authorizing_integration_owners: p.authorizing_integration_owners ?? {},
        ...(rec.type === 2 ? { name: data.name, command_type: data.type } : {}),
        ...(isObj(p.message) ? { interacted_message_id: p.message.id } : {}),
      },
      interaction: { id: rec.id, type: rec.type, name: typeof data.name === 'string' ? data.name : '', user },
    };
  };

  const createMessage = (
    body: Json,
    at: { channelId: string; guildId?: string; type: number; rec?: InteractionRecord; files?: RestCall['files'] },
  ): Json => {
    const content = typeof body.content === 'string' ? body.content : '';
    const id = snowflake();
    const message: Json = {
      type: at.type,
      content,
      ...resolveMentions(content, body.allowed_mentions),
      attachments: attachmentsFor(at.files ?? []),
      embeds: normalizeEmbeds(body.embeds),
      timestamp: nowIso(),
      edited_timestamp: null,
      flags: typeof body.flags === 'number' ? body.flags : 0,
      components: Array.isArray(body.components) ? body.components : [],
      id,
      channel_id: at.channelId,
      author: FAKE_BOT_USER,
      pinned: false,
      tts: body.tts === true,
      ...(at.guildId ? { guild_id: at.guildId } : {}),
      ...(at.rec
        ? { application_id: FAKE_APPLICATION_ID, webhook_id: FAKE_APPLICATION_ID, position: 0, ...interactionMetadata(at.rec) }
        : {}),
    };
    if (body.poll != null) message.poll = body.poll;
    messages.set(id, message);
    return message;
  };

  const editMessage = (message: Json, body: Json, files: RestCall['files'], firstAfterDefer: boolean): Json => {
    const next: Json = { ...message };
    if ('content' in body) next.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) next.embeds = normalizeEmbeds(body.embeds);
    if ('components' in body) next.components = Array.isArray(body.components) ? body.components : [];
    if ('attachments' in body || files.length > 0) {
      const kept = Array.isArray(body.attachments)
        ? (Array.isArray(message.attachments) ? (message.attachments as Json[]) : []).filter((a) =>
            (body.attachments as unknown[]).some((b) => isObj(b) && b.id === a.id),
          )
        : [];
      next.attachments = [...kept, ...attachmentsFor(files)];
    }
    if ('poll' in body) next.poll = body.poll;
    let flags = (typeof message.flags === 'number' ? message.flags : 0) & ~LOADING;
    if (typeof body.flags === 'number') flags = (flags & EPHEMERAL) | (body.flags & ~EPHEMERAL & ~LOADING);
    next.flags = flags;
    Object.assign(next, resolveMentions(String(next.content ?? ''), 'allowed_mentions' in body ? body.allowed_mentions : undefined));
    next.edited_timestamp = firstAfterDefer ? null : nowIso();
    messages.set(String(next.id), next);
    return next;
  };

  /** CHAT_INPUT_COMMAND (20) for slash commands, CONTEXT_MENU_COMMAND (23) for context menus, DEFAULT otherwise. */
  const responseMessageType = (rec: InteractionRecord) => {
    if (rec.type !== 2) return 0;
    const data = rec.payload.data;
    return isObj(data) && (data.type === 2 || data.type === 3) ? 23 : 20;
  };

  const interactionChannel = (rec: InteractionRecord) => {
    const p = rec.payload;
    const channelId = typeof p.channel_id === 'string' ? p.channel_id : isObj(p.channel) ? String(p.channel.id) : FAKE_CHANNEL_ID;
    return { channelId, guildId: typeof p.guild_id === 'string' ? p.guild_id : undefined };
  };

  // -------------------------------------------------------------------------- REST routes
  interface Ctx {
    method: string;
    route: string;
    query: URLSearchParams;
    body: unknown;
    files: RestCall['files'];
    hasAuth: boolean;
    authorized: boolean;
  }
  interface Reply {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
  }
  const ok = (body: unknown, status = 200): Reply => ({ status, body });
  const noContent: Reply = { status: 204 };
  const fail = (status: number, body: unknown): Reply => ({ status, body });

  const storeCommands = (scope: StoredCommand[], incoming: Json[], guildId?: string): StoredCommand[] =>
    incoming.map((raw) => {
      const type = typeof raw.type === 'number' ? raw.type : 1;
      const previous = scope.find((c) => c.name === raw.name && c.type === type);
      const clean = JSON.parse(JSON.stringify(raw)) as Json;
      const stored: StoredCommand = {
        id: previous?.id ?? snowflake(),
        application_id: FAKE_APPLICATION_ID,
        version: snowflake(),
        default_member_permissions: null,
        type,
        name: String(raw.name),
        description: typeof raw.description === 'string' ? raw.description : '',
        ...(guildId ? { guild_id: guildId } : { dm_permission: true }),
        nsfw: false,
        ...(guildId ? {} : { integration_types: [0], contexts: null }),
        ...clean,
      } as StoredCommand;
      stored.type = type;
      return stored;
    });

  const withoutLocalizations = (c: StoredCommand): Json => {
    const { name_localizations: _n, description_localizations: _d, ...rest } = c;
    return rest;
  };

  const commandsRoute = (ctx: Ctx, appId: string, guildId: string | undefined, commandId: string | undefined): Reply => {
    if (!ctx.authorized) return fail(401, ERR.unauthorized);
    if (appId !== FAKE_APPLICATION_ID) return fail(403, ERR.missingAccess);
    if (guildId !== undefined && guildId !== FAKE_GUILD_ID) return fail(403, ERR.missingAccess);
    const list = () => (guildId ? (commands.guilds[guildId] ?? []) : commands.global);
    const save = (next: StoredCommand[]) => {
      if (guildId) commands.guilds[guildId] = next;
      else commands.global = next;
      notify();
    };
    const present = (c: StoredCommand) => (ctx.query.get('with_localizations') === 'true' ? c : withoutLocalizations(c));
    if (commandId === undefined) {
      if (ctx.method === 'GET') return ok(list().map(present));
      if (ctx.method === 'PUT') {
        const errs = checkCommands(ctx.body);
        if (errs.count > 0) return fail(400, errs.body);
        const stored = storeCommands(list(), ctx.body as Json[], guildId);
        save(stored);
        return ok(stored);
      }
      if (ctx.method === 'POST') {
        const errs = checkCommands([ctx.body]);
        if (errs.count > 0) return fail(400, { ...errs.body, errors: (errs.tree as Json)['0'] ?? errs.tree });
        const incoming = ctx.body as Json;
        const [stored] = storeCommands(list(), [incoming], guildId);
        if (!stored) return fail(500, { message: '500: Internal Server Error', code: 0 });
        const existed = list().some((c) => c.id === stored.id);
        save([...list().filter((c) => c.id !== stored.id), stored]);
        return ok(stored, existed ? 200 : 201);
      }
      return fail(405, { message: '405: Method Not Allowed', code: 0 });
    }
    const found = list().find((c) => c.id === commandId);
    if (!found) return fail(404, { message: 'Unknown application command', code: 10063 });
    if (ctx.method === 'GET') return ok(found);
    if (ctx.method === 'DELETE') {
      save(list().filter((c) => c.id !== commandId));
      return noContent;
    }
    if (ctx.method === 'PATCH' && isObj(ctx.body)) {
      const merged = { ...found, ...ctx.body };
      const errs = checkCommands([merged]);
      if (errs.count > 0) return fail(400, errs.body);
      const updated = { ...merged, version: snowflake() } as StoredCommand;
      save(list().map((c) => (c.id === commandId ? updated : c)));
      return ok(updated);
    }
    return fail(405, { message: '405: Method Not Allowed', code: 0 });
  };

  const ALLOWED_CALLBACKS: Record<number, number[]> = {
    1: [1],
    2: [4, 5, 9, 10, 12],
    3: [4, 5, 6, 7, 9, 10, 12],
    4: [8],
    5: [4, 5, 6, 7, 10, 12],
  };

  const callbackResponse = (rec: InteractionRecord, type: number, message: Json | undefined) => ({
    interaction: {
      id: rec.id,
      type: rec.type,
      ...(message
        ? {
            response_message_id: message.id,
            response_message_loading: ((message.flags as number) & LOADING) !== 0,
            response_message_ephemeral: ((message.flags as number) & EPHEMERAL) !== 0,
          }
        : {}),
    },
    ...(message ? { resource: { type, message } } : type === 8 || type === 9 ? {} : { resource: { type } }),
  });

  const interactionCallback = (ctx: Ctx, id: string, itoken: string): Reply => {
    const rec = interactions.get(id);
    const reject = (r: Reply): Reply => {
      if (rec && rec.token === itoken) {
        rec.rejected.push({ status: r.status, body: r.body, at: Date.now() });
        notify();
      }
      return r;
    };
    if (!rec || rec.token !== itoken) return reject(fail(404, ERR.unknownInteraction));
    if (rec.callback) return reject(fail(400, ERR.alreadyAcknowledged));
    if (Date.now() - rec.dispatchedAt > rec.ackDeadlineMs) return reject(fail(404, ERR.unknownInteraction));
    const body = ctx.body;
    const errs = new FormErrors();
    if (!isObj(body)) {
      errs.add([], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return reject(fail(400, errs.body));
    }
    const type = body.type;
    const allowed = ALLOWED_CALLBACKS[rec.type] ?? [];
    if (typeof type !== 'number' || !allowed.includes(type)) {
      errs.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of {${allowed.join(', ')}}.`);
      return reject(fail(400, errs.body));
    }
    const data = isObj(body.data) ? body.data : undefined;
    if (type === 4 || type === 7) {
      checkMessage(errs, ['data'], data ?? {});
      if (errs.count > 0) return reject(fail(400, errs.body));
      if (type === 4 && isEmptyMessage(data ?? {}, ctx.files.length)) return reject(fail(400, ERR.emptyMessage));
    } else if (type === 8) {
      checkArrayMax(errs, ['data', 'choices'], data?.choices, 25).forEach((choice, i) => {
        if (!isObj(choice)) {
          errs.add(['data', 'choices', i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
          return;
        }
        checkString(errs, ['data', 'choices', i, 'name'], choice.name, 1, 100, true);
        if (typeof choice.value === 'string') checkString(errs, ['data', 'choices', i, 'value'], choice.value, 1, 100, true);
        else if (typeof choice.value !== 'number')
          errs.add(['data', 'choices', i, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
      });
      if (data?.choices === undefined) errs.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
    } else if (type === 9) {
      checkString(errs, ['data', 'custom_id'], data?.custom_id, 1, 100, true);
      checkString(errs, ['data', 'title'], data?.title, 1, 45, true);
      const rows = Array.isArray(data?.components) ? data.components : [];
      if (rows.length < 1 || rows.length > 5)
        errs.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    }
    if (errs.count > 0) return reject(fail(400, errs.body));

    const at = Date.now();
    rec.callback = { type, data, at, withResponse: ctx.query.get('with_response') === 'true' };
    let message: Json | undefined;
    const { channelId, guildId } = interactionChannel(rec);
    if (type === 4 || type === 5) {
      const flags = (typeof data?.flags === 'number' ? data.flags : 0) | (type === 5 ? LOADING : 0);
      message = createMessage(type === 5 ? { flags } : { ...data, flags }, {
        channelId,
        guildId,
        type: responseMessageType(rec),
        rec,
        files: ctx.files,
      });
      rec.originalId = String(message.id);
    } else if ((type === 6 || type === 7) && isObj(rec.payload.message)) {
      const original = rec.payload.message;
      const known = messages.get(String(original.id)) ?? original;
      messages.set(String(original.id), known);
      rec.originalId = String(original.id);
      message = type === 7 ? editMessage(known, data ?? {}, ctx.files, false) : known;
    }
    notify();
    if (ctx.query.get('with_response') === 'true') return ok(callbackResponse(rec, type, message));
    return noContent;
  };

  const webhookRoute = (ctx: Ctx, appId: string, wtoken: string, target: string | undefined): Reply => {
    if (appId !== FAKE_APPLICATION_ID) return fail(404, ERR.unknownWebhook);
    const rec = byToken.get(wtoken);
    if (!rec || Date.now() - rec.dispatchedAt > tokenLifetimeMs) return fail(401, ERR.invalidWebhookToken);
    if (!rec.callback) return fail(404, ERR.unknownWebhook);
    const { channelId, guildId } = interactionChannel(rec);
    const body = isObj(ctx.body) ? ctx.body : {};
    if (target === undefined) {
      if (ctx.method !== 'POST') return fail(405, { message: '405: Method Not Allowed', code: 0 });
      const errs = new FormErrors();
      checkMessage(errs, [], body);
      if (errs.count > 0) return fail(400, errs.body);
      if (isEmptyMessage(body, ctx.files.length)) return fail(400, ERR.emptyMessage);
      const message = createMessage(body, { channelId, guildId, type: responseMessageType(rec), rec, files: ctx.files });
      rec.followUps.push({ target: 'followup', body, message, at: Date.now() });
      notify();
      return ctx.query.get('wait') === 'true' ? ok(message) : noContent;
    }
    const messageId = target === '@original' ? rec.originalId : target;
    const current = messageId ? messages.get(messageId) : undefined;
    if (!messageId || !current) return fail(404, ERR.unknownMessage);
    if (ctx.method === 'GET') return ok(current);
    if (ctx.method === 'DELETE') {
      messages.delete(messageId);
      rec.deletions.push({ target, at: Date.now() });
      notify();
      return noContent;
    }
    if (ctx.method === 'PATCH') {
      const errs = new FormErrors();
      checkMessage(errs, [], { ...body, flags: body.flags ?? current.flags });
      if (errs.count > 0) return fail(400, errs.body);
      const firstAfterDefer = ((current.flags as number) & LOADING) !== 0;
      const next = editMessage(current, body, ctx.files, firstAfterDefer);
      if (isEmptyMessage(next, 0)) return fail(400, ERR.emptyMessage);
      rec.edits.push({ target, body, message: next, at: Date.now() });
      notify();
      return ok(next);
    }
    return fail(405, { message: '405: Method Not Allowed', code: 0 });
  };

  const channelMessages = (ctx: Ctx, channelId: string): Reply => {
    if (!ctx.authorized) return fail(401, ERR.unauthorized);
    const channels = guild.channels as Json[];
    const inGuild = channels.some((c) => c.id === channelId && c.type === 0);
    const state = channelStates.get(channelId) ?? 'ok';
    if (state === 'unknown' || (!inGuild && !dmChannels.has(channelId))) return fail(404, ERR.unknownChannel);
    if (state === 'missing-access') return fail(403, ERR.missingAccess);
    if (state === 'missing-permissions') return fail(403, ERR.missingPermissions);
    if (ctx.method !== 'POST') return fail(405, { message: '405: Method Not Allowed', code: 0 });
    const body = isObj(ctx.body) ? ctx.body : {};
    const errs = new FormErrors();
    checkMessage(errs, [], body);
    if (errs.count > 0) return fail(400, errs.body);
    if (isEmptyMessage(body, ctx.files.length)) return fail(400, ERR.emptyMessage);
    const message = createMessage(body, { channelId, guildId: inGuild ? FAKE_GUILD_ID : undefined, type: 0, files: ctx.files });
    channelPosts.push({ channelId, body, message, at: Date.now() });
    notify();
    return ok(message);
  };

  const route = (ctx: Ctx): Reply => {
    const { method, route: r } = ctx;
    const needAuth = () => (ctx.authorized ? null : fail(401, ERR.unauthorized));
    let m: RegExpExecArray | null;
    if (r === '/gateway' && method === 'GET') return ok({ url: gatewayUrl });
    if (r === '/gateway/bot' && method === 'GET')
      return (
        needAuth() ??
        ok({ url: gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } })
      );
    if (r === '/users/@me' && method === 'GET')
      return (
        needAuth() ?? ok({ ...FAKE_BOT_USER, mfa_enabled: true, locale: 'en-US', premium_type: 0, email: null, verified: true, bio: '' })
      );
    if ((r === '/applications/@me' || r === '/oauth2/applications/@me') && method === 'GET')
      return (
        needAuth() ??
        ok({
          id: FAKE_APPLICATION_ID,
          name: FAKE_BOT_USER.username,
          icon: null,
          description: 'Answers questions about one news article, with citations.',
          summary: '',
          type: null,
          hook: true,
          bot_public: true,
          bot_require_code_grant: false,
          verify_key: createHash('sha256').update(FAKE_APPLICATION_ID).digest('hex'),
          flags: applicationFlags(privileged),
          owner: FAKE_OWNER_USER,
          team: null,
          bot: FAKE_BOT_USER,
          approximate_guild_count: 1,
          approximate_user_install_count: 0,
          redirect_uris: [],
          interactions_endpoint_url: null,
          role_connections_verification_url: null,
          event_webhooks_url: null,
          event_webhooks_status: 1,
          tags: [],
          integration_types_config: {
            '0': { oauth2_install_params: { scopes: ['applications.commands', 'bot'], permissions: BOT_ROLE_PERMISSIONS } },
          },
          is_monetized: false,
          is_verified: false,
          is_discoverable: false,
          storefront_available: false,
        })
      );
    m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands(?:\/(\d+))?$/.exec(r);
    if (m) return commandsRoute(ctx, m[1] as string, m[2], m[3]);
    m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(r);
    if (m && method === 'POST') return interactionCallback(ctx, m[1] as string, m[2] as string);
    m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(r);
    if (m) return webhookRoute(ctx, m[1] as string, m[2] as string, m[3]);
    m = /^\/channels\/(\d+)\/messages$/.exec(r);
    if (m) return channelMessages(ctx, m[1] as string);
    return fail(404, ERR.notFound);
  };

  const readBody = async (req: IncomingMessage): Promise<{ body: unknown; files: RestCall['files']; bad: boolean }> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    if (raw.length === 0) return { body: undefined, files: [], bad: false };
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://fake.local/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
      let body: unknown;
      const files: RestCall['files'] = [];
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') {
          if (field === 'payload_json') body = JSON.parse(value);
        } else files.push({ field, filename: value.name, contentType: value.type, size: value.size });
      }
      return { body, files, bad: false };
    }
    try {
      return { body: JSON.parse(raw.toString('utf8')), files: [], bad: false };
    } catch {
      return { body: raw.toString('utf8'), files: [], bad: true };
    }
  };

  const respond = (res: ServerResponse, method: string, r: string, reply: Reply): Record<string, string> => {
    const headers: Record<string, string> = {
      date: new Date().toUTCString(),
      via: '1.1 google',
      'alt-svc': 'h3=":443"; ma=86400',
      ...(r ? rateLimitHeaders(method, r) : {}),
      ...reply.headers,
    };
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
      return headers;
    }
    headers['content-type'] = 'application/json';
    res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
    return headers;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.local');
    const method = (req.method ?? 'GET').toUpperCase();
    const at = Date.now();
    const parsed = await readBody(req).catch(() => ({ body: undefined, files: [], bad: true }));
    const auth = req.headers.authorization;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (k !== 'authorization' && v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const version = /^\/api(?:\/v(\d+))?(\/.*)$/.exec(url.pathname);
    // discord.js percent-encodes path segments (…/messages/%40original); Discord decodes them.
    const r = safeDecode(version?.[2] ?? '');
    const call: RestCall = {
      method,
      path: url.pathname,
      route: r,
      query: Object.fromEntries(url.searchParams),
      headers,
      hasAuth: auth !== undefined,
      body: parsed.body,
      files: parsed.files,
      status: 0,
      response: undefined,
      responseHeaders: {},
      at,
    };
    const finish = (reply: Reply) => {
      call.status = reply.status;
      call.response = reply.body;
      calls.push(call);
      call.responseHeaders = respond(res, method, r, reply);
      notify();
    };
    if (!version) return finish(fail(404, ERR.notFound));
    if (version[1] !== undefined && version[1] !== '10' && version[1] !== '9') return finish(fail(400, ERR.invalidVersion));
    if (parsed.bad) return finish(fail(400, ERR.invalidJson));

    const scripted = failures.find((f) => f.method === method && f.pattern.test(r));
    if (scripted) {
      scripted.times--;
      if (scripted.times <= 0) failures.splice(failures.indexOf(scripted), 1);
      const f = scripted.failure;
      if (f.status === 429 && 'retryAfter' in f) {
        const global = f.global === true;
        return finish({
          status: 429,
          body: { message: 'You are being rate limited.', retry_after: f.retryAfter, global },
          headers: {
            'retry-after': String(f.retryAfter),
            'x-ratelimit-limit': '5',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': ((Date.now() + f.retryAfter * 1000) / 1000).toFixed(3),
            'x-ratelimit-reset-after': f.retryAfter.toFixed(3),
            'x-ratelimit-bucket': bucketHash(method, r),
            'x-ratelimit-scope': global ? 'global' : (f.scope ?? 'user'),
            ...(global ? { 'x-ratelimit-global': 'true' } : {}),
          },
        });
      }
      const body = 'body' in f && f.body !== undefined ? f.body : { message: `${f.status}: Scripted failure`, code: 0 };
      return finish({ status: f.status, body, headers: 'headers' in f ? f.headers : undefined });
    }

    const authorized = auth === `Bot ${token}`;
    try {
      finish(
        route({
          method,
          route: r,
          query: url.searchParams,
          body: parsed.body,
          files: parsed.files,
          hasAuth: auth !== undefined,
          authorized,
        }),
      );
    } catch (error) {
      finish(fail(500, { message: '500: Internal Server Error', code: 0, detail: String(error) }));
    }
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://fake.local');
    if (url.pathname !== '/gateway' && url.pathname !== '/gateway/') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const v = url.searchParams.get('v');
      const encoding = url.searchParams.get('encoding') ?? 'json';
      wss.emit('connection', ws, req);
      if (v !== null && v !== '10' && v !== '9') {
        const conn = [...connections].find((c) => c.ws === ws);
        conn?.close(4012, 'Invalid API version.');
      } else if (encoding !== 'json') {
        // ETF is not supported by the fake: Discord would speak it, we refuse loudly instead.
        const conn = [...connections].find((c) => c.ws === ws);
        conn?.close(4002, 'Error while decoding payload.');
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  const readySessions = () => [...sessions.values()].filter((s) => s.socket !== null || s.resumable);

  const waitFor = <T>(check: () => T | undefined | null | false, ms = 5_000, what = 'condition'): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const first = check();
      if (first !== undefined && first !== null && first !== false) return resolve(first);
      const waiter: Waiter = {
        check: () => {
          const value = check();
          if (value === undefined || value === null || value === false) return false;
          clearTimeout(timer);
          resolve(value);
          return true;
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`fake Discord: timed out after ${ms} ms waiting for ${what}`));
      }, ms);
      waiters.add(waiter);
    });

  const recordOf = (id: string) => {
    const rec = interactions.get(id);
    if (!rec) throw new Error(`fake Discord: no interaction ${id} was dispatched`);
    return rec;
  };

  return {
    apiBase: `http://127.0.0.1:${port}/api`,
    gatewayUrl,
    token,
    applicationId: FAKE_APPLICATION_ID,
    guildId: FAKE_GUILD_ID,
    channelId: FAKE_CHANNEL_ID,
    botUser: FAKE_BOT_USER,
    guild,
    calls,
    commands,
    interactions,
    gatewayLog,
    closeCodes,
    sessions: () => [...sessions.values()].map(sessionInfo),
    dispatchInteraction(payload, opts = {}) {
      const p = JSON.parse(JSON.stringify(payload)) as Json;
      // Discord only sends interactions for registered commands: use the registered id when there is one.
      if ((p.type === 2 || p.type === 4) && isObj(p.data)) {
        const data = p.data;
        const gid = typeof p.guild_id === 'string' ? p.guild_id : undefined;
        const match = (list: StoredCommand[] | undefined) => list?.find((c) => c.name === data.name && c.type === (data.type ?? 1));
        const guildCommand = gid ? match(commands.guilds[gid]) : undefined;
        const command = guildCommand ?? match(commands.global);
        if (command) {
          data.id = command.id;
          if (guildCommand) data.guild_id = gid;
        }
      }
      const user = isObj(p.member) && isObj(p.member.user) ? p.member.user : isObj(p.user) ? p.user : undefined;
      if (user && typeof user.id === 'string') knownUsers.set(user.id, user);
      if (isObj(p.message) && typeof p.message.id === 'string' && !messages.has(p.message.id)) messages.set(p.message.id, p.message);
      if (isObj(p.channel) && p.channel.type === 1 && typeof p.channel.id === 'string') dmChannels.add(p.channel.id);
      const targets = readySessions();
      if (targets.length === 0)
        throw new Error('fake Discord: no gateway session to deliver the interaction to (has the client logged in?)');
      const rec: InteractionRecord = {
        id: payload.id,
        token: payload.token,
        type: payload.type,
        payload: p,
        dispatchedAt: Date.now(),
        ackDeadlineMs: opts.ackDeadlineMs ?? interactionTimeoutMs,
        rejected: [],
        edits: [],
        followUps: [],
        deletions: [],
      };
      interactions.set(rec.id, rec);
      byToken.set(rec.token, rec);
      for (const s of targets) sendDispatch(s, 'INTERACTION_CREATE', p);
      notify();
      return rec;
    },
    dispatch(event, data) {
      const targets = readySessions();
      for (const s of targets) sendDispatch(s, event, data);
      return targets.length;
    },
    requestReconnect() {
      for (const s of sessions.values()) s.socket?.send({ op: 7, d: null, s: null, t: null });
    },
    failNext(method, pathPattern, failure, times = 1) {
      failures.push({ method: method.toUpperCase(), pattern: pathPattern, failure, times });
    },
    waitFor,
    waitForSession: (ms = 5_000) =>
      waitFor(
        () => {
          const s = [...sessions.values()].find((x) => x.socket !== null);
          return s ? sessionInfo(s) : undefined;
        },
        ms,
        'a gateway session',
      ),
    waitForCallback: (id, ms = 5_000) => waitFor(() => recordOf(id).callback, ms, `the callback of interaction ${id}`),
    waitForEdit: (id, ms = 5_000, count = 1) => waitFor(() => recordOf(id).edits[count - 1], ms, `edit #${count} of interaction ${id}`),
    waitForFollowUp: (id, ms = 5_000, count = 1) =>
      waitFor(() => recordOf(id).followUps[count - 1], ms, `follow-up #${count} of interaction ${id}`),
    message: (id) => messages.get(id),
    channelPosts,
    setChannelState(channelId, state) {
      channelStates.set(channelId, state);
    },
    waitForChannelPost: (channelId, ms = 5_000, count = 1) =>
      waitFor(() => channelPosts.filter((p) => p.channelId === channelId)[count - 1], ms, `post #${count} to channel ${channelId}`),
    async close() {
      for (const conn of connections) conn.ws.terminate();
      connections.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
