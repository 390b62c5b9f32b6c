import type { Update } from 'grammy/types';
import { createTelegramHttp } from '../../adapters/telegram/api-fetch.ts';
import { createTelegramBot, registerTelegramCommands } from '../../adapters/telegram/bot.ts';
import { parseConfig } from '../../src/config.ts';
import { loadContent } from '../../src/content/load.ts';
import { createConversation } from '../../src/core/conversation.ts';
import { type Core, createCore } from '../../src/core/core.ts';
import type { Clock } from '../../src/protocol/clock.ts';
import { ReplyComposer } from '../../src/qa/compose.ts';
import { createReminders } from '../../src/reminders/scheduler.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import type { FakeTelegram } from '../fakes/telegram-api.ts';
import { capturedLogger, testConvert } from './core.ts';

/** The real grammY bot with the real core, its API calls going over HTTP to the fake Bot API. */
export async function createTelegramHarness(
  fake: FakeTelegram,
  options: { env?: Record<string, string>; core?: Core; store?: Store; logLevel?: string; clock?: Clock; callTimeoutSeconds?: number } = {},
) {
  const config = parseConfig({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    // Tests measure behaviour, not Telegram's pacing (one test sets it on purpose).
    TELEGRAM_RATE_CHAT_PER_SECOND: '1000',
    TELEGRAM_RATE_GROUP_PER_MINUTE: '60000',
    TELEGRAM_RATE_GLOBAL_PER_SECOND: '1000',
    // Nor the per-sender flood limit: a test that wants it sets USER_MESSAGES_PER_MINUTE.
    USER_MESSAGES_PER_MINUTE: '1000000',
    ...options.env,
  });
  const { logger, logs } = capturedLogger([config.telegramToken], options.logLevel);
  const store = options.store ?? (await openStore('sqlite://:memory:'));
  const content = await loadContent('content', 'cambodia-scam-sweep');
  const convert = testConvert();
  const composer = new ReplyComposer(content, convert);
  const clock = options.clock ?? { now: () => Date.now() };
  const reminders = createReminders({ content, composer, store, clock, logger, retryDelaysMs: [10] });
  const core =
    options.core ??
    createCore({
      content,
      convert,
      composer,
      store,
      clock,
      logger,
      config: { contextTtlMs: 60_000, userMessagesPerMinute: config.userMessagesPerMinute },
      reminders,
    });
  // The same HTTP client as production, so tests exercise the wire path the bot really uses.
  const http = createTelegramHttp();
  const conversation = createConversation({ core, logger, reminders });
  const bot = createTelegramBot({
    token: fake.token,
    config: config.telegram,
    conversation,
    store,
    logger,
    http,
    callTimeoutSeconds: options.callTimeoutSeconds,
  });
  await bot.init();
  let updateId = 1;
  return {
    bot,
    core,
    conversation,
    store,
    logs,
    http,
    reminders,
    register: () => registerTelegramCommands(bot, conversation),
    /** Delivers one update through grammY, as polling or a webhook would. */
    deliver: async (update: Omit<Update, 'update_id'> & { update_id?: number }) => {
      await bot.handleUpdate({ ...update, update_id: update.update_id ?? updateId++ } as Update);
    },
  };
}

/** The HTML text of every successful sendMessage, in order. */
export const sentTexts = (fake: FakeTelegram) => fake.sent('sendMessage').map((c) => String(c.params.text));
