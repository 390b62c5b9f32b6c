import { autoRetry } from '@grammyjs/auto-retry';
import { HttpError, type Transformer } from 'grammy';
import type { Logger } from '../../src/logger.ts';
import { htmlToPlain } from './render.ts';

/** Waits before the retries of a call that failed on the network (refused, reset, timed out). */
export const NETWORK_RETRY_DELAYS_MS: readonly number[] = [1_000, 3_000];

/**
 * 429s wait for `retry_after`, 5xx back off, but never forever: bounded attempts and delay.
 * Network failures are bounded here too: the plugin would retry them without limit (3 s, 6 s, …
 * up to an hour apart), keeping the update — and every later one of its chat — waiting for as
 * long as Telegram is unreachable.
 */
export function boundedAutoRetry(networkRetryDelaysMs = NETWORK_RETRY_DELAYS_MS): Transformer {
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowInternalServerErrors: false, rethrowHttpErrors: true });
  const network: Transformer = async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        const delay = networkRetryDelaysMs[attempt];
        if (!(error instanceof HttpError) || delay === undefined || signal?.aborted) throw error;
        await pause(delay, signal as unknown as AbortSignal | undefined);
      }
    }
  };
  return (prev, method, payload, signal) => retry((m, p, s) => network(prev, m, p, s), method, payload, signal);
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('request aborted while waiting to retry'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
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
