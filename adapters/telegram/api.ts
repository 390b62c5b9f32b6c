import { Api } from 'grammy';
import type { TelegramConfig } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';
import type { TelegramHttp } from './api-fetch.ts';
import { pacing } from './pacer.ts';
import { boundedAutoRetry, plainTextFallback } from './transformers.ts';

/**
 * A Bot API call is abandoned after this long (then retried like a network failure). grammY's
 * own default is 500 s, during which a hung request would hold its chat's queue and a runner
 * slot. The long poll waits less than this (LONG_POLL_SECONDS), so it is never cut short.
 */
export const CALL_TIMEOUT_SECONDS = 20;
export const LONG_POLL_SECONDS = 15;

/** grammY client options every Bot API client of the bot uses. */
export function clientOptions(config: TelegramConfig, http?: TelegramHttp, callTimeoutSeconds = CALL_TIMEOUT_SECONDS) {
  return { apiRoot: config.apiRoot, timeoutSeconds: callTimeoutSeconds, ...(http ? { fetch: http.fetch as never } : {}) };
}

/**
 * Every Bot API client of the bot goes through the same stack: plain-text fallback for HTML
 * Telegram refuses, bounded retries of 429/5xx/network failures (a timed-out call among them),
 * and pacing under Telegram's limits. One process should use one such Api, so that one pacer
 * sees all its messages.
 */
export function configureTelegramApi(api: Api, config: TelegramConfig, logger: Logger): Api {
  api.config.use(plainTextFallback(logger));
  api.config.use(boundedAutoRetry());
  api.config.use(pacing(config.rate));
  return api;
}

/** A Bot API client without a bot (a scheduler or CLI process that only posts reminders). */
export function createTelegramApi(token: string, config: TelegramConfig, logger: Logger, http?: TelegramHttp): Api {
  return configureTelegramApi(new Api(token, clientOptions(config, http)), config, logger);
}
