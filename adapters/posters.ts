import type { App } from '../src/bootstrap.ts';
import type { Logger } from '../src/logger.ts';
import { createTelegramApi } from './telegram/api.ts';
import { createTelegramHttp } from './telegram/api-fetch.ts';
import { telegramPlatform } from './telegram/platform.ts';
import { createTelegramSenderFor } from './telegram/send.ts';

/**
 * Platforms whose bot does not run in this process, attached for their reminder posts (the CLI's `reminders
 * tick`, a scheduler-only process): each is reached through its HTTP API alone. A platform
 * whose bot runs here (`running`) keeps the platform its bot attached, so one pacer sees all
 * of its messages. Returns a function that closes what was opened.
 */
export async function registerStandalonePosters(app: App, logger: Logger, running: readonly string[] = []): Promise<() => Promise<void>> {
  const closers: (() => Promise<void>)[] = [];
  const { config } = app;
  if (config.telegramToken && !running.includes('telegram')) {
    const http = createTelegramHttp();
    const api = createTelegramApi(config.telegramToken, config.telegram, logger.child({ adapter: 'telegram' }), http);
    app.conversation.attach(telegramPlatform(createTelegramSenderFor(api, app.conversation, app.store, logger)));
    closers.push(() => http.close());
  }
  if (config.discordToken && !running.includes('discord')) {
    const [{ REST }, { discordPlatform }] = await Promise.all([import('discord.js'), import('./discord/platform.ts')]);
    app.conversation.attach(discordPlatform(new REST({ api: config.discord.apiBase }).setToken(config.discordToken), app.conversation));
  }
  return async () => {
    await Promise.all(closers.map((close) => close()));
  };
}
