import type { Client } from 'discord.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeDiscord } from '../fakes/discord-server.ts';
import { ALICE, autocomplete, buttonClick, chatInputCommand } from '../fixtures/discord-interactions.ts';
import { type DiscordBot, startDiscordBot } from '../helpers/discord.ts';

let fake: FakeDiscord;
let client: Client;
let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot();
  ({ fake, client } = bot);
});
afterAll(() => bot.close());

const someone = (i: number) => ({ ...ALICE, id: (1292000000000000000n + BigInt(i)).toString(), username: `reader${i}` });

it('after interactions from 20 users, in the server and in DMs, only the guild, its channels and the bot itself are cached', async () => {
  for (let i = 0; i < 20; i++) {
    const ctx = { user: someone(i), guild: i % 4 !== 3 };
    const payloads = [
      chatInputCommand('ask', { question: 'How many people were arrested?' }, ctx),
      buttonClick('c:advice', ctx),
      autocomplete('ask', 'question', '抓', ctx),
    ];
    for (const payload of payloads) await fake.waitForCallback(fake.dispatchInteraction(payload).id);
  }
  const guild = client.guilds.cache.get(fake.guildId);
  expect(client.guilds.cache.size).toBe(1);
  expect(guild?.channels.cache.size).toBeGreaterThan(0);
  expect([...client.users.cache.keys()]).toEqual([client.user?.id]);
  expect([...(guild?.members.cache.keys() ?? [])]).toEqual([client.user?.id]);
  const channel = client.channels.cache.get(fake.channelId);
  expect(channel?.isTextBased() && channel.messages.cache.size).toBe(0);
  // DM channels are only ever named by id in the payload: none is cached (no Channel partials).
  expect(client.channels.cache.filter((c) => c.isDMBased()).size).toBe(0);
});
