import type { App } from '../src/bootstrap.ts';
import type { Logger } from '../src/logger.ts';
import { createTelegramApi } from './telegram/api.ts';
import { createTelegramHttp } from './telegram/api-fetch.ts';
import { createTelegramPoster } from './telegram/poster.ts';
import { createTelegramSenderFor } from './telegram/send.ts';

/**
 * Reminder posters for a process that does not run a platform's bot (the CLI's `reminders
 * tick`, a scheduler-only process): each configured platform is reached through its HTTP API
 * alone. Returns a function that closes what was opened.
 */
export async function registerStandalonePosters(app: App, logger: Logger): Promise<() => Promise<void>> {
  const closers: (() => Promise<void>)[] = [];
  const { config } = app;
  if (config.telegramToken) {
    const http = createTelegramHttp();
    const api = createTelegramApi(config.telegramToken, config.telegram, logger.child({ adapter: 'telegram' }), http);
    app.reminders.usePoster('telegram', createTelegramPoster(createTelegramSenderFor(api, app.core.composer, app.store, logger)));
    closers.push(() => http.close());
  }
  if (config.discordToken) {
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
