import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

const optionalSecret = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().positive())
    .optional()
    .transform((v) => v ?? fallback);

/** Every environment variable the bot reads. `.env.example` documents each one. */
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
  TELEGRAM_BOT_TOKEN: optionalSecret.refine(
    (v) => v === undefined || /^\d+:[\w-]{20,}$/.test(v),
    'a token from @BotFather such as 123456:ABC-DEF…',
  ),
  DISCORD_TOKEN: optionalSecret,
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  logLevel: string;
  logFormat: 'json' | 'pretty';
  storeUrl: string;
  contentDir: string;
  articleId: string;
  contextTtlMs: number;
  telegramToken: string | undefined;
  discordToken: string | undefined;
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
    telegramToken: e.TELEGRAM_BOT_TOKEN,
    discordToken: e.DISCORD_TOKEN,
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
