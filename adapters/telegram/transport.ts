import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { run } from '@grammyjs/runner';
import { type Bot, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../src/logger.ts';
import { createInFlight, type InFlight, type RunningTransport, stoppedOnRequest } from '../shared/lifecycle.ts';
import { LONG_POLL_SECONDS } from './api.ts';

export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

const MAX_CONCURRENT_UPDATES = 64;

/** Long polling with @grammyjs/runner: concurrent across chats, in order within one. */
export function startPolling(bot: Bot, logger: Logger): RunningTransport {
  const handle = run(bot, {
    runner: { silent: true, fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: LONG_POLL_SECONDS } },
    // Updates in progress at once (the runner's default is 500): bounds memory and open sockets
    // in a burst; Telegram's own limits (~30 messages/s) make more pointless.
    sink: { concurrency: MAX_CONCURRENT_UPDATES },
  });
  const done = (handle.task() ?? Promise.resolve()).then(
    () => 'stopped' as const,
    (error: unknown) => {
      if (error instanceof GrammyError && error.error_code === 409) {
        logger.error('TELEGRAM_CONFLICT: another process is polling this bot token (409 Conflict); stop it, or use TELEGRAM_WEBHOOK_URL');
        return 'conflict' as const;
      }
      if (error instanceof GrammyError && error.error_code === 401) {
        logger.error('TELEGRAM_UNAUTHORIZED: Telegram rejects TELEGRAM_BOT_TOKEN (401); check the token from @BotFather');
        return 'unauthorized' as const;
      }
      logger.error({ err: error }, 'telegram: polling stopped');
      return 'failed' as const;
    },
  );
  return {
    done,
    // The runner's stop resolves when the middleware under way has finished.
    stop: async () => {
      if (handle.isRunning()) await handle.stop();
    },
    ready: () => handle.isRunning(),
  };
}

/** The webhook secret: configured, or derived from the token so it is stable across restarts. */
export function webhookSecret(token: string, configured: string | undefined): string {
  return configured ?? createHash('sha256').update(`telegram-webhook:${token}`).digest('hex').slice(0, 48);
}

const MAX_BODY_BYTES = 1_000_000;

/**
 * Webhook mode: Telegram's POST is answered at once (200) and the update handled afterwards,
 * so a slow (LLM) answer never makes Telegram re-send it. A missing or wrong
 * X-Telegram-Bot-Api-Secret-Token gets 401 and is not processed.
 */
export function createWebhookListener(bot: Bot, options: { path: string; secret: string; logger: Logger; inFlight?: InFlight }) {
  const expected = Buffer.from(options.secret);
  const inFlight = options.inFlight ?? createInFlight();
  return async (req: IncomingMessage, res: import('node:http').ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== options.path) return false;
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return true;
    }
    const given = Buffer.from(String(req.headers['x-telegram-bot-api-secret-token'] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end('unauthorized');
      options.logger.warn({ remote: req.socket.remoteAddress }, 'telegram webhook: wrong or missing secret token; update ignored');
      return true;
    }
    let body = '';
    for await (const chunk of req) {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        return true;
      }
    }
    let update: Update;
    try {
      update = JSON.parse(body) as Update;
    } catch {
      res.writeHead(400).end('bad json');
      return true;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    // Remembered until answered, so a graceful shutdown can wait for it.
    void inFlight.track(
      bot
        .handleUpdate(update)
        .catch((error: unknown) => options.logger.error({ err: error, update: update.update_id }, 'telegram webhook: update failed')),
    );
    return true;
  };
}

/**
 * Webhook mode on the ops server's port: the route is mounted there, then Telegram is told the
 * URL. Stopping unmounts nothing (the server closes with the process) but refuses new updates
 * (503, so Telegram re-sends them to a replica or after the restart) and waits for those under way.
 */
export async function startWebhook(
  bot: Bot,
  options: {
    url: string;
    secret: string;
    logger: Logger;
    mount(route: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>): void;
  },
): Promise<RunningTransport> {
  await bot.init();
  const path = new URL(options.url).pathname || '/';
  const inFlight = createInFlight();
  const listener = createWebhookListener(bot, { path, secret: options.secret, logger: options.logger, inFlight });
  let accepting = true;
  options.mount(async (req, res) => {
    if (!accepting && new URL(req.url ?? '/', 'http://localhost').pathname === path) {
      res.writeHead(503).end();
      return true;
    }
    return listener(req, res);
  });
  await bot.api.setWebhook(options.url, { secret_token: options.secret, allowed_updates: [...ALLOWED_UPDATES] });
  options.logger.info({ url: options.url }, 'telegram: webhook set');
  const { done, markStopped } = stoppedOnRequest();
  return {
    done,
    stop: async () => {
      accepting = false;
      await inFlight.settled();
      markStopped();
    },
    ready: () => accepting,
  };
}
