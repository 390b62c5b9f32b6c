import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

/** A trimmed string, with empty meaning "not set" (as `FOO=` in a .env file). */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
/** The same for tokens and keys (named apart so the schema reads as what it holds). */
const optionalSecret = optionalText;

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().positive())
    .optional()
    .transform((v) => v ?? fallback);

const nonNegativeInt = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'a whole number, 0 or more')
    .transform(Number)
    .optional()
    .transform((v) => v ?? fallback);

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : v === 'true' || v === '1' || v === 'yes'));

/** Every environment variable the bot reads. `.env.example` documents each one. */
export const ROLE_NAMES = ['telegram', 'discord', 'scheduler'] as const;
export type Role = (typeof ROLE_NAMES)[number];

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  STORE_URL: z
    .string()
    .trim()
    .default('sqlite://./data/bot.sqlite')
    .refine((v) => /^sqlite:\/\/.+/.test(v) || /^rediss?:\/\/[^/\s]+/.test(v), 'sqlite://<path> or redis://host:port'),
  CONTENT_DIR: z.string().trim().min(1).default('content'),
  ARTICLE_ID: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]+$/, 'an article folder name such as cambodia-scam-sweep')
    .default('cambodia-scam-sweep'),
  CONTEXT_TTL_SECONDS: positiveInt(1800),
  USER_MESSAGES_PER_MINUTE: positiveInt(20),
  TELEGRAM_BOT_TOKEN: optionalSecret.refine(
    (v) => v === undefined || /^\d+:[\w-]{20,}$/.test(v),
    'a token from @BotFather such as 123456:ABC-DEF…',
  ),
  TELEGRAM_API_ROOT: z
    .string()
    .trim()
    .default('https://api.telegram.org')
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), 'an http(s) URL such as https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: optionalText.refine(
    (v) => v === undefined || /^https:\/\/[^\s]+$/.test(v) || /^http:\/\/(localhost|127\.0\.0\.1)[:/]/.test(v),
    'a public https:// URL that reaches this process',
  ),
  TELEGRAM_WEBHOOK_SECRET: optionalSecret.refine(
    (v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v),
    '1-256 characters A-Z, a-z, 0-9, _ or -',
  ),
  TELEGRAM_RATE_GLOBAL_PER_SECOND: positiveInt(30),
  TELEGRAM_RATE_GROUP_PER_MINUTE: positiveInt(20),
  TELEGRAM_RATE_CHAT_PER_SECOND: positiveInt(1),
  ROLES: optionalText.refine(
    (v) => v === undefined || v.split(',').every((r) => ROLE_NAMES.includes(r.trim() as Role)),
    'a comma-separated list of telegram, discord, scheduler',
  ),
  SHUTDOWN_TIMEOUT_SECONDS: positiveInt(10),
  REMINDERS: booleanFlag(true),
  REMINDER_GRACE_MINUTES: positiveInt(60),
  REMINDER_TICK_SECONDS: positiveInt(20),
  REMINDER_CONCURRENCY: positiveInt(32),
  PORT: nonNegativeInt(8080).refine((v) => v <= 65535, 'a TCP port, 1-65535 (0: any free port)'),
  DISCORD_TOKEN: optionalSecret,
  DISCORD_APPLICATION_ID: optionalText.refine(
    (v) => v === undefined || /^\d{17,20}$/.test(v),
    'the application (client) id, a number of 17-20 digits',
  ),
  DISCORD_GUILD_ID: optionalText.refine((v) => v === undefined || /^\d{17,20}$/.test(v), 'a server id, a number of 17-20 digits'),
  DISCORD_API_BASE: z
    .string()
    .trim()
    .default('https://discord.com/api')
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), 'an http(s) URL such as https://discord.com/api'),
  OPENAI_API_KEY: optionalSecret,
  OPENAI_BASE_URL: optionalText.refine(
    (v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v),
    'an http(s) URL such as http://localhost:11434/v1',
  ),
  OPENAI_MODEL: optionalText,
  LLM_TIMEOUT_MS: positiveInt(15_000),
  LLM_MAX_RETRIES: nonNegativeInt(2),
  LLM_RESPONSE_FORMAT: z.enum(['json_schema', 'json_object', 'text']).default('json_schema'),
  LLM_STREAM: booleanFlag(false),
  LLM_TEMPERATURE: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'a number from 0 to 2')
    .transform(Number)
    .pipe(z.number().max(2))
    .optional()
    .transform((v) => v ?? 0),
  LLM_CACHE_TTL_SECONDS: positiveInt(7 * 24 * 3600),
  LLM_USER_HOURLY_LIMIT: positiveInt(20),
  LLM_CHAT_HOURLY_LIMIT: positiveInt(60),
  LLM_DAILY_TOKEN_BUDGET: positiveInt(200_000),
  LLM_BREAKER_THRESHOLD: positiveInt(3),
  LLM_BREAKER_COOLDOWN_SECONDS: positiveInt(60),
});

export type LlmConfig = Readonly<{
  apiKey: string | undefined;
  baseUrl: string | undefined;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  responseFormat: 'json_schema' | 'json_object' | 'text';
  stream: boolean;
  temperature: number;
  cacheTtlMs: number;
  userHourlyLimit: number;
  chatHourlyLimit: number;
  dailyTokenBudget: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
}>;

export type TelegramConfig = Readonly<{
  apiRoot: string;
  webhookUrl: string | undefined;
  /** Checked against X-Telegram-Bot-Api-Secret-Token; derived from the token when not set. */
  webhookSecret: string | undefined;
  rate: { globalPerSecond: number; groupPerMinute: number; chatPerSecond: number };
}>;

export type RemindersConfig = Readonly<{
  /** Whether this process runs the scheduler that posts due reminders. */
  enabled: boolean;
  /** A slot missed while the bot was down is posted if at most this old. */
  graceMs: number;
  /** How often the scheduler looks for due reminders. */
  tickMs: number;
  /** Posts under way at once during a fan-out (each platform's pacing sets the rate). */
  concurrency: number;
}>;

export type DiscordConfig = Readonly<{
  applicationId: string | undefined;
  /** Commands are registered to this server only (instant, for development) when set. */
  guildId: string | undefined;
  apiBase: string;
}>;

/** The model used when only OPENAI_API_KEY is set (OpenAI's own endpoint). */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  logLevel: string;
  logFormat: 'json' | 'pretty';
  storeUrl: string;
  contentDir: string;
  articleId: string;
  contextTtlMs: number;
  /** Messages one sender may send per minute before the bot stops answering them for a while. */
  userMessagesPerMinute: number;
  telegramToken: string | undefined;
  telegram: TelegramConfig;
  port: number;
  /** The parts this process runs; empty: the console chat (no platform configured). */
  roles: readonly Role[];
  /** How long a graceful shutdown waits for replies under way. */
  shutdownTimeoutMs: number;
  reminders: RemindersConfig;
  discordToken: string | undefined;
  discord: DiscordConfig;
  /** Undefined when no LLM is configured: the bot is then fully offline. */
  llm: LlmConfig | undefined;
}>;

/** Pure: validates an environment and returns the config, or throws a ConfigError naming the variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const received = env[variable];
    const expected = issue?.message ?? 'invalid';
    throw new ConfigError(variable, `${expected}${received === undefined ? '' : ` (got ${JSON.stringify(mask(variable, received))})`}`);
  }
  const e = result.data;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'production' || !process.stdout.isTTY ? 'json' : 'pretty'),
    storeUrl: e.STORE_URL,
    contentDir: e.CONTENT_DIR,
    articleId: e.ARTICLE_ID,
    contextTtlMs: e.CONTEXT_TTL_SECONDS * 1000,
    userMessagesPerMinute: e.USER_MESSAGES_PER_MINUTE,
    telegramToken: e.TELEGRAM_BOT_TOKEN,
    telegram: {
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
      webhookUrl: e.TELEGRAM_WEBHOOK_URL,
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
      rate: {
        globalPerSecond: e.TELEGRAM_RATE_GLOBAL_PER_SECOND,
        groupPerMinute: e.TELEGRAM_RATE_GROUP_PER_MINUTE,
        chatPerSecond: e.TELEGRAM_RATE_CHAT_PER_SECOND,
      },
    },
    port: e.PORT,
    roles: rolesOf(e),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    reminders: {
      enabled: e.REMINDERS,
      graceMs: e.REMINDER_GRACE_MINUTES * 60_000,
      tickMs: e.REMINDER_TICK_SECONDS * 1000,
      concurrency: e.REMINDER_CONCURRENCY,
    },
    discordToken: e.DISCORD_TOKEN,
    discord: { applicationId: e.DISCORD_APPLICATION_ID, guildId: e.DISCORD_GUILD_ID, apiBase: e.DISCORD_API_BASE.replace(/\/+$/, '') },
    llm: llmConfig(e),
  };
}

/**
 * ROLES when set (each role's platform must be configured); otherwise every configured
 * platform, and the reminder scheduler with them unless REMINDERS=false.
 */
function rolesOf(e: z.infer<typeof envSchema>): Role[] {
  if (e.ROLES !== undefined) {
    const roles = [...new Set(e.ROLES.split(',').map((r) => r.trim() as Role))];
    if (roles.includes('telegram') && !e.TELEGRAM_BOT_TOKEN) throw new ConfigError('ROLES', 'telegram needs TELEGRAM_BOT_TOKEN');
    if (roles.includes('discord') && !e.DISCORD_TOKEN) throw new ConfigError('ROLES', 'discord needs DISCORD_TOKEN');
    if (roles.includes('scheduler') && !e.TELEGRAM_BOT_TOKEN && !e.DISCORD_TOKEN)
      throw new ConfigError('ROLES', 'scheduler needs TELEGRAM_BOT_TOKEN or DISCORD_TOKEN to post reminders');
    return roles;
  }
  const roles: Role[] = [];
  if (e.TELEGRAM_BOT_TOKEN) roles.push('telegram');
  if (e.DISCORD_TOKEN) roles.push('discord');
  if (roles.length > 0 && e.REMINDERS) roles.push('scheduler');
  return roles;
}

function llmConfig(e: z.infer<typeof envSchema>): LlmConfig | undefined {
  if (!e.OPENAI_API_KEY && !e.OPENAI_BASE_URL && !e.OPENAI_MODEL) return undefined;
  if (!e.OPENAI_API_KEY && !e.OPENAI_BASE_URL)
    throw new ConfigError('OPENAI_API_KEY', 'required with OPENAI_MODEL (or set OPENAI_BASE_URL for a local server)');
  // A local server (Ollama, vLLM, LM Studio) has no default model name to fall back on.
  if (!e.OPENAI_MODEL && e.OPENAI_BASE_URL)
    throw new ConfigError('OPENAI_MODEL', 'required with OPENAI_BASE_URL (e.g. llama3.1 for Ollama)');
  return {
    apiKey: e.OPENAI_API_KEY,
    baseUrl: e.OPENAI_BASE_URL,
    model: e.OPENAI_MODEL ?? DEFAULT_OPENAI_MODEL,
    timeoutMs: e.LLM_TIMEOUT_MS,
    maxRetries: e.LLM_MAX_RETRIES,
    responseFormat: e.LLM_RESPONSE_FORMAT,
    stream: e.LLM_STREAM,
    temperature: e.LLM_TEMPERATURE,
    cacheTtlMs: e.LLM_CACHE_TTL_SECONDS * 1000,
    userHourlyLimit: e.LLM_USER_HOURLY_LIMIT,
    chatHourlyLimit: e.LLM_CHAT_HOURLY_LIMIT,
    dailyTokenBudget: e.LLM_DAILY_TOKEN_BUDGET,
    breakerThreshold: e.LLM_BREAKER_THRESHOLD,
    breakerCooldownMs: e.LLM_BREAKER_COOLDOWN_SECONDS * 1000,
  };
}

// An error line must not print a secret that was merely malformed.
function mask(variable: string, value: string): string {
  return /TOKEN|KEY|SECRET|PASSWORD/.test(variable) ? `${value.slice(0, 3)}…(${value.length} chars)` : value.slice(0, 80);
}

/** Reads `.env` (when present) under the real environment, which wins, then validates. */
export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) {
    try {
      process.loadEnvFile(envFile);
    } catch (error) {
      throw new ConfigError(envFile, `cannot be read: ${(error as Error).message}`);
    }
  }
  return parseConfig(process.env);
}

/** Every environment variable the bot reads (the deploy files are checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);
