import type { App } from '../src/bootstrap.ts';
import type { Logger } from '../src/logger.ts';
import { createTelegramApi } from './telegram/api.ts';
import { createTelegramHttp } from './telegram/api-fetch.ts';
import { createTelegramPoster } from './telegram/poster.ts';
import { createTelegramSenderFor } from './telegram/send.ts';

/**
 * Reminder posters for platforms whose bot does not run in this process (the CLI's `reminders
 * tick`, a scheduler-only process): each is reached through its HTTP API alone. A platform
 * whose bot runs here (`running`) keeps the poster its bot registered, so one pacer sees all
 * of its messages. Returns a function that closes what was opened.
 */
export async function registerStandalonePosters(app: App, logger: Logger, running: readonly string[] = []): Promise<() => Promise<void>> {
  const closers: (() => Promise<void>)[] = [];
  const { config } = app;
  if (config.telegramToken && !running.includes('telegram')) {
    const http = createTelegramHttp();
    const api = createTelegramApi(config.telegramToken, config.telegram, logger.child({ adapter: 'telegram' }), http);
    app.reminders.usePoster('telegram', createTelegramPoster(createTelegramSenderFor(api, app.core.composer, app.store, logger)));
    closers.push(() => http.close());
  }
  if (config.discordToken && !running.includes('discord')) {
    const { createDiscordRestPoster } = await import('./discord/poster.ts');
    app.reminders.usePoster(
      'discord',
      createDiscordRestPoster({ token: config.discordToken, config: config.discord, composer: app.core.composer }),
    );
  }
  return async () => {
    await Promise.all(closers.map((close) => close()));
  };
}
