import { GrammyError } from 'grammy';
import type { App } from '../../src/bootstrap.ts';
import { AppError } from '../../src/errors.ts';
import type { OpsServer } from '../../src/ops/server.ts';
import type { RunningTransport } from '../shared/lifecycle.ts';
import { createTelegramHttp } from './api-fetch.ts';
import { createTelegramBot, registerTelegramCommands } from './bot.ts';
import { startPolling, startWebhook, webhookSecret } from './transport.ts';

/** Starts the Telegram adapter as configured: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set. */
export async function startTelegram(app: App, ops: { route: OpsServer['route'] }): Promise<RunningTransport> {
  const token = app.config.telegramToken;
  if (!token) throw new Error('startTelegram needs TELEGRAM_BOT_TOKEN');
  const logger = app.logger.child({ adapter: 'telegram' });
  const http = createTelegramHttp();
  const bot = createTelegramBot({
    token,
    config: app.config.telegram,
    conversation: app.conversation,
    store: app.store,
    logger,
    http,
  });
  try {
    await bot.init();
    await registerTelegramCommands(bot, app.conversation);
  } catch (error) {
    await http.close();
    // Our own words: grammY's messages can carry the request URL, and with it the token.
    if (error instanceof GrammyError && error.error_code === 401)
      throw new AppError('TELEGRAM_UNAUTHORIZED', 'Telegram rejects TELEGRAM_BOT_TOKEN (401 Unauthorized)');
    if (error instanceof GrammyError)
      throw new AppError('TELEGRAM_REFUSED', `Telegram refused start-up: ${error.error_code} ${error.description}`);
    throw new AppError('TELEGRAM_UNREACHABLE', `cannot reach the Telegram Bot API at ${app.config.telegram.apiRoot}`);
  }
  const { webhookUrl } = app.config.telegram;
  let transport: RunningTransport;
  if (webhookUrl) {
    const secret = webhookSecret(token, app.config.telegram.webhookSecret);
    transport = await startWebhook(bot, { url: webhookUrl, secret, logger, mount: ops.route });
  } else {
    // A webhook left over from an earlier deployment would make getUpdates fail.
    await bot.api.deleteWebhook();
    transport = startPolling(bot, logger);
  }
  logger.info({ bot: `@${bot.botInfo.username}`, mode: webhookUrl ? 'webhook' : 'polling' }, 'telegram: ready');
  // Sockets are closed only after the transport has stopped (its last replies sent).
  return { done: transport.done, stop: () => transport.stop().finally(() => http.close()), ready: transport.ready };
}
