import { Api } from 'grammy';
import type { TelegramConfig } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';
import type { TelegramHttp } from './api-fetch.ts';
import { pacing } from './pacer.ts';
import { boundedAutoRetry, CALL_TIMEOUT_MS, callTimeout, plainTextFallback } from './transformers.ts';

/**
 * Every Bot API client of the bot goes through the same stack: a time limit per call, plain-text
 * fallback for HTML Telegram refuses, bounded retries of 429/5xx/network failures (a timed-out
 * call among them), and pacing under Telegram's limits. One process should use one such Api,
 * so that one pacer sees all its messages.
 */
export function configureTelegramApi(api: Api, config: TelegramConfig, logger: Logger, callTimeoutMs = CALL_TIMEOUT_MS): Api {
  // Installed first, so innermost: each attempt gets the whole time limit.
  api.config.use(callTimeout(callTimeoutMs));
  api.config.use(plainTextFallback(logger));
  api.config.use(boundedAutoRetry());
  api.config.use(pacing(config.rate));
  return api;
}

/** A Bot API client without a bot (a scheduler or CLI process that only posts reminders). */
export function createTelegramApi(token: string, config: TelegramConfig, logger: Logger, http?: TelegramHttp): Api {
  return configureTelegramApi(new Api(token, { apiRoot: config.apiRoot, ...(http ? { fetch: http.fetch as never } : {}) }), config, logger);
}
