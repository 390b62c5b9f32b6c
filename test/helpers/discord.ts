import { once } from 'node:events';
import { type Client, Events } from 'discord.js';
import { createDiscordClient } from '../../adapters/discord/client.ts';
import { parseConfig } from '../../src/config.ts';
import { createConversation } from '../../src/core/conversation.ts';
import type { Core } from '../../src/core/core.ts';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord-server.ts';
import { capturedLogger, createTestCore } from './core.ts';

export interface DiscordBot {
  fake: FakeDiscord;
  client: Client;
  core: Core;
  close(): Promise<void>;
}

/** The real discord.js client of the bot, logged in to a fresh fake Discord and ready. */
export async function startDiscordBot(): Promise<DiscordBot> {
  const fake = await startFakeDiscord();
  const { core } = await createTestCore();
  const config = parseConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase });
  const { logger } = capturedLogger([fake.token]);
  const client = createDiscordClient({
    token: fake.token,
    config: config.discord,
    conversation: createConversation({ core, logger }),
    logger,
  });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return {
    fake,
    client,
    core,
    async close() {
      await client.destroy();
      await fake.close();
    },
  };
}
