import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { run } from '@grammyjs/runner';
import { type Bot, GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../src/logger.ts';

export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

export interface RunningTransport {
  /** Resolves when the transport stops; with the reason when Telegram made it stop. */
  done: Promise<'stopped' | 'conflict' | 'unauthorized' | 'failed'>;
  stop(): Promise<void>;
}

const MAX_CONCURRENT_UPDATES = 64;

/** Long polling with @grammyjs/runner: concurrent across chats, in order within one. */
export function startPolling(bot: Bot, logger: Logger): RunningTransport {
  const handle = run(bot, {
    runner: { silent: true, fetch: { allowed_updates: [...ALLOWED_UPDATES] } },
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
    stop: async () => {
      if (handle.isRunning()) await handle.stop();
    },
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
export function createWebhookListener(bot: Bot, options: { path: string; secret: string; logger: Logger }) {
  const expected = Buffer.from(options.secret);
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
    bot
      .handleUpdate(update)
      .catch((error: unknown) => options.logger.error({ err: error, update: update.update_id }, 'telegram webhook: update failed'));
    return true;
  };
}

export async function startWebhook(
  bot: Bot,
  options: { url: string; secret: string; port: number; logger: Logger },
): Promise<RunningTransport & { server: Server }> {
  await bot.init();
  const path = new URL(options.url).pathname || '/';
  const listener = createWebhookListener(bot, { path, secret: options.secret, logger: options.logger });
  const server = createServer((req, res) => {
    listener(req, res)
      .then((handled) => {
        if (!handled) res.writeHead(404).end();
      })
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(options.port, resolve));
  await bot.api.setWebhook(options.url, { secret_token: options.secret, allowed_updates: [...ALLOWED_UPDATES] });
  options.logger.info({ url: options.url, port: options.port }, 'telegram: webhook set');
  let resolveDone: (v: 'stopped') => void = () => undefined;
  const done = new Promise<'stopped'>((r) => {
    resolveDone = r;
  });
  return {
    server,
    done,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      resolveDone('stopped');
    },
  };
}
