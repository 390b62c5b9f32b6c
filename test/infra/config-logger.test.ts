import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';
import { createLogger } from '../../src/logger.ts';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

describe('config', () => {
  it('has working defaults for an empty environment', () => {
    const config = parseConfig({});
    expect(config.storeUrl).toBe('sqlite://./data/bot.sqlite');
    expect(config.articleId).toBe('cambodia-scam-sweep');
    expect(config.telegramToken).toBeUndefined();
    expect(config.contextTtlMs).toBe(1_800_000);
  });

  it.each([
    [{ STORE_URL: 'mysql://db' }, 'STORE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CONTEXT_TTL_SECONDS: '-5' }, 'CONTEXT_TTL_SECONDS'],
    [{ ARTICLE_ID: '../etc' }, 'ARTICLE_ID'],
    [{ TELEGRAM_BOT_TOKEN: 'not-a-token' }, 'TELEGRAM_BOT_TOKEN'],
  ])('stops on %o with one line naming %s', (env, variable) => {
    let error: unknown;
    try {
      parseConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message.startsWith(`${variable}: `)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  it('does not echo a malformed secret in the error', () => {
    expect(() => parseConfig({ TELEGRAM_BOT_TOKEN: 'supersecretvalue-but-malformed' })).toThrow(/sup…\(30 chars\)/);
  });

  it('treats an empty token as not configured', () => {
    expect(parseConfig({ TELEGRAM_BOT_TOKEN: '  ', DISCORD_TOKEN: '' }).telegramToken).toBeUndefined();
  });
});

describe('logger', () => {
  async function capture(format: 'json' | 'pretty', write: (log: ReturnType<typeof createLogger>) => void): Promise<string> {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const log = createLogger({ level: 'info', format, secrets: [TOKEN, 'sk-test-key-0123456789'], destination: out });
    write(log);
    await new Promise((r) => setTimeout(r, 50));
    return text;
  }

  for (const format of ['json', 'pretty'] as const) {
    it(`redacts tokens and keys by path and inside strings (${format})`, async () => {
      const text = await capture(format, (log) => {
        log.info({ config: { telegramToken: TOKEN, openaiApiKey: 'sk-test-key-0123456789' }, token: TOKEN }, 'starting');
        log.error({ err: new Error(`request to https://api.telegram.org/bot${TOKEN}/getMe failed`) }, 'network error');
        log.warn({ headers: { authorization: 'Bearer sk-test-key-0123456789' } }, 'llm call');
      });
      expect(text).toContain('starting');
      expect(text).toContain('network error');
      expect(text).toContain('[redacted]');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('sk-test-key-0123456789');
    });
  }

  it('writes one JSON object per line by default', async () => {
    const text = await capture('json', (log) => log.child({ update: 42 }).info('handled'));
    const line = JSON.parse(text.trim());
    expect(line).toMatchObject({ msg: 'handled', update: 42, level: 30 });
  });
});

describe('documentation of the configuration', () => {
  it('every variable the config reads is in .env.example and in the README table', async () => {
    const { CONFIG_VARIABLES } = await import('../../src/config.ts');
    const { readFileSync } = await import('node:fs');
    const example = readFileSync('.env.example', 'utf8');
    const readme = readFileSync('README.md', 'utf8');
    const missing = CONFIG_VARIABLES.filter((v) => !new RegExp(`^${v}=`, 'm').test(example) || !readme.includes(`\`${v}\``));
    expect(missing).toEqual([]);
    expect(CONFIG_VARIABLES).toContain('ROLES');
  });
});
