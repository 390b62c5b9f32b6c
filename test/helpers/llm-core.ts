import { parseConfig } from '../../src/config.ts';
import { createChatCompletionClient } from '../../src/llm/client.ts';
import type { ChatEvent } from '../../src/protocol/event.ts';
import type { FakeChatCompletions } from '../fakes/chat-completions-server.ts';
import { capturedLogger, createTestCore } from './core.ts';

export const TEST_API_KEY = 'sk-test-9f8e7d6c5b4a3210-secret';

/** The real core with the LLM path on, talking to a fake endpoint through the real openai client. */
export async function createLlmCore(fake: FakeChatCompletions, env: Record<string, string> = {}) {
  const config = parseConfig({
    OPENAI_API_KEY: TEST_API_KEY,
    OPENAI_BASE_URL: fake.url,
    OPENAI_MODEL: 'fake-model',
    LLM_TIMEOUT_MS: '1000',
    LLM_MAX_RETRIES: '2',
    ...env,
  });
  if (!config.llm) throw new Error('LLM not configured');
  const { logger, logs } = capturedLogger([config.llm.apiKey]);
  const { core, store, clock } = await createTestCore({
    contextTtlMs: 60_000,
    logger,
    llm: { config: config.llm, client: createChatCompletionClient(config.llm, logger) },
  });
  let n = 0;
  const ask = (text: string, extra: Partial<ChatEvent> = {}) =>
    core.handle({ platform: 'telegram', chatId: `chat-${n++}`, userId: `user-${n}`, chatType: 'private', text, ...extra });
  return { core, store, clock, ask, logs, config };
}
