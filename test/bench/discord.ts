/** Time from INTERACTION_CREATE (sent by the fake gateway) to the acknowledgement the fake receives. */
import { once } from 'node:events';
import { Events } from 'discord.js';
import { createDiscordClient } from '../../adapters/discord/client.ts';
import { parseConfig } from '../../src/config.ts';
import { createConversation } from '../../src/core/conversation.ts';
import { startFakeDiscord } from '../fakes/discord-server.ts';
import { chatInputCommand } from '../fixtures/discord-interactions.ts';
import { capturedLogger, createTestCore } from '../helpers/core.ts';

const QUESTIONS = [
  '這次柬埔寨警方抓了多少人?',
  '中国提供了什么协助?',
  'What is the third recommendation?',
  'Where were the compounds?',
  '文章有哪些建議?',
];

export async function benchDiscord(n = 300) {
  const fake = await startFakeDiscord();
  const { core } = await createTestCore();
  const config = parseConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase });
  const client = createDiscordClient({
    token: fake.token,
    config: config.discord,
    conversation: createConversation({ core, logger: capturedLogger([fake.token], 'info').logger }),
    logger: capturedLogger([fake.token], 'info').logger,
  });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  const latencies: number[] = [];
  for (let i = -20; i < n; i++) {
    const record = fake.dispatchInteraction(chatInputCommand('ask', { question: QUESTIONS[Math.abs(i) % QUESTIONS.length] as string }));
    const callback = await fake.waitForCallback(record.id, 5000);
    if (i >= 0) latencies.push(callback.at - record.dispatchedAt); // the first ones warm up
  }
  await client.destroy();
  await fake.close();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { interactions: n, ack_p50_ms: at(0.5), ack_p99_ms: at(0.99), ack_max_ms: latencies.at(-1) ?? 0 };
}
