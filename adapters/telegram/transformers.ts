import { autoRetry } from '@grammyjs/auto-retry';
import type { Transformer } from 'grammy';
import type { Logger } from '../../src/logger.ts';
import { htmlToPlain } from './render.ts';

/** 429s wait for `retry_after`, but never forever (the plugin's defaults): bounded attempts and delay. */
export function boundedAutoRetry(): Transformer {
  return autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowInternalServerErrors: false, rethrowHttpErrors: false });
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
