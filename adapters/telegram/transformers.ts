import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import type { Transformer } from 'grammy';
import type { TelegramConfig } from '../../src/config.ts';
import type { Logger } from '../../src/logger.ts';
import { htmlToPlain } from './render.ts';

/** 429s wait for `retry_after`, but never forever (the plugin's defaults): bounded attempts and delay. */
export function boundedAutoRetry(): Transformer {
  return autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowInternalServerErrors: false, rethrowHttpErrors: false });
}

/** Sends paced under Telegram's limits, read from configuration (overall, per group, per chat). */
export function pacing(rate: TelegramConfig['rate']): Transformer {
  return apiThrottler({
    global: { reservoir: rate.globalPerSecond, reservoirRefreshAmount: rate.globalPerSecond, reservoirRefreshInterval: 1000 },
    group: {
      maxConcurrent: 1,
      minTime: Math.floor(60_000 / rate.groupPerMinute / 3),
      reservoir: rate.groupPerMinute,
      reservoirRefreshAmount: rate.groupPerMinute,
      reservoirRefreshInterval: 60_000,
    },
    out: { maxConcurrent: 1, minTime: Math.floor(1000 / rate.chatPerSecond) },
  });
}

/**
 * If Telegram refuses our HTML ("can't parse entities"), that is our bug: log it loudly and
 * send the same words once as plain text, so the user still gets the answer.
 */
export function plainTextFallback(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    const p = payload as { parse_mode?: string; text?: string };
    if (
      !result.ok &&
      result.error_code === 400 &&
      /can't parse entities/i.test(result.description) &&
      p.parse_mode &&
      typeof p.text === 'string'
    ) {
      logger.error({ method, description: result.description }, 'telegram refused our HTML; sent as plain text instead (rendering bug)');
      const { parse_mode: _dropped, ...rest } = p;
      return prev(method, { ...rest, text: htmlToPlain(p.text) } as typeof payload, signal);
    }
    return result;
  };
}
