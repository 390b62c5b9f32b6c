import { Events } from 'discord.js';
import type { App } from '../../src/bootstrap.ts';
import { AppError } from '../../src/errors.ts';
import { createInFlight, type RunningTransport, stoppedOnRequest } from '../shared/lifecycle.ts';
import { createDiscordClient } from './client.ts';

/** Logs in to the Discord gateway (address from GET /gateway/bot under DISCORD_API_BASE) and posts the reminders of Discord channels. */
export async function startDiscord(app: App): Promise<RunningTransport> {
  const token = app.config.discordToken;
  if (!token) throw new Error('startDiscord needs DISCORD_TOKEN');
  const logger = app.logger.child({ adapter: 'discord' });
  const inFlight = createInFlight();
  const client = createDiscordClient({ token, config: app.config.discord, conversation: app.conversation, logger, inFlight });
  try {
    await client.login(token);
  } catch (error) {
    await client.destroy();
    // Our own words: never echo the token back.
    const name = (error as { code?: string }).code ?? (error as Error).name;
    if (name === 'TokenInvalid' || /401|invalid token/i.test(String((error as Error).message))) {
      throw new AppError('DISCORD_UNAUTHORIZED', 'Discord rejects DISCORD_TOKEN (invalid token)');
    }
    throw new AppError('DISCORD_UNREACHABLE', `cannot connect to Discord at ${app.config.discord.apiBase}`);
  }
  const { done, markStopped } = stoppedOnRequest();
  return {
    done,
    stop: async () => {
      // New interactions are no longer taken once the gateway closes: finish these first.
      client.removeAllListeners(Events.InteractionCreate);
      await inFlight.settled();
      await client.destroy();
      markStopped();
    },
    ready: () => client.isReady(),
  };
}
