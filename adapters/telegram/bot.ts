import { sequentialize } from '@grammyjs/runner';
import { Bot, type BotError, type Context } from 'grammy';
import type { Update } from 'grammy/types';
import type { TelegramConfig } from '../../src/config.ts';
import type { Conversation } from '../../src/core/conversation.ts';
import type { Logger } from '../../src/logger.ts';
import type { Lang } from '../../src/protocol/lang.ts';
import type { KeyValue, Store } from '../../src/store/store.ts';
import { clientOptions, configureTelegramApi } from './api.ts';
import type { TelegramHttp } from './api-fetch.ts';
import { buttonTurn, messageTurn, telegramPlatform } from './platform.ts';
import { BLOCKED_NAMESPACE, BLOCKED_TTL_MS, createTelegramSenderFor } from './send.ts';
import { callbackEvent, chatTypeOf, joinedEvent, mentionPattern, messageToEvent } from './to-event.ts';

export interface TelegramBotDeps {
  token: string;
  config: TelegramConfig;
  conversation: Conversation;
  store: Store;
  logger: Logger;
  /** The HTTP client for Bot API calls (see api-fetch.ts); grammY's default when absent. */
  http?: TelegramHttp;
  /** How long one Bot API call may take (see transformers.ts); tests shorten it. */
  callTimeoutSeconds?: number;
}

/** Update ids already handled are remembered this long: Telegram re-delivers within minutes. */
const SEEN_UPDATE_TTL_MS = 24 * 3_600_000;

/**
 * The grammY bot: each update becomes a neutral event, handed to the conversation with the turn
 * that answers it. Transport (polling or webhook) is chosen by the caller.
 */
export function createTelegramBot({ token, config, conversation, store, logger, http, callTimeoutSeconds }: TelegramBotDeps): Bot {
  const bot = new Bot(token, { client: clientOptions(config, http, callTimeoutSeconds) });
  configureTelegramApi(bot.api, config, logger);

  // Batched: a crash within the batch delay is the only way an update could be answered twice.
  const seen = store.claims('telegram-updates', { durability: 'batched' });
  const blocked: KeyValue<number> = store.namespace(BLOCKED_NAMESPACE);
  const sender = createTelegramSenderFor(bot.api, conversation, store, logger);
  conversation.attach(telegramPlatform(sender));

  // Updates of one chat are handled in order, others concurrently (polling and webhook alike).
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  // Answering has its own error boundary in the core; this one catches what happens around it
  // (a store fault claiming the update, a migration), whether from polling, the webhook or handleUpdate.
  const onError = (err: BotError<Context>) => {
    logger.error({ update: err.ctx.update.update_id, err: err.error }, 'telegram: update failed');
  };
  bot.catch(onError);
  const handlers = bot.errorBoundary(onError);
  // A repeated update id (webhook re-delivery, a restart mid-batch) is never answered twice.
  // When the store cannot say (it is down), the update is answered: maybe twice, never lost.
  handlers.use(async (ctx, next) => {
    const first = await seen.claim(String(ctx.update.update_id), SEEN_UPDATE_TTL_MS).catch((error: unknown) => {
      logger.warn({ update: ctx.update.update_id, err: error }, 'telegram: duplicate check unavailable');
      return true;
    });
    if (!first) {
      logger.debug({ update: ctx.update.update_id }, 'telegram: duplicate update ignored');
      return;
    }
    await next();
  });

  handlers.on('message:migrate_to_chat_id', async (ctx) => {
    const to = ctx.message.migrate_to_chat_id;
    await conversation.migrateChat('telegram', String(ctx.chat.id), String(to));
    logger.info({ from: ctx.chat.id, to }, 'telegram: group became a supergroup; settings moved');
  });

  handlers.on('my_chat_member', async (ctx) => {
    const { old_chat_member: before, new_chat_member: after } = ctx.myChatMember;
    const joined =
      (before.status === 'left' || before.status === 'kicked') && (after.status === 'member' || after.status === 'administrator');
    if (joined && chatTypeOf(ctx.chat.type) === 'group') await conversation.receive(joinedEvent(ctx), messageTurn(ctx, sender));
    if (after.status === 'kicked' || after.status === 'left') {
      await blocked.set(String(ctx.chat.id), Date.now(), BLOCKED_TTL_MS);
      logger.info({ chat: ctx.chat.id }, 'telegram: removed from a chat');
    }
  });

  let mention: RegExp | undefined;
  const commandNames = new Set(conversation.commands.map((c) => c.name));
  handlers.on('message', async (ctx) => {
    mention ??= mentionPattern(ctx.me.username);
    const event = messageToEvent(ctx.message, ctx.from, { id: ctx.me.id, username: ctx.me.username }, { mention, commandNames });
    if (!event) return;
    // Stickers, photos and voice notes carry no question: only worth a reply when addressed privately.
    if (!ctx.message.text && !ctx.message.caption && event.chatType !== 'private') return;
    await conversation.receive(event, messageTurn(ctx, sender, ctx.message.message_id));
  });

  handlers.on('callback_query:data', async (ctx) => {
    await conversation.receive(callbackEvent(ctx), buttonTurn(ctx, sender, logger));
  });

  return bot;
}

/** The commands as Telegram lists them, per language and scope. */
export async function registerTelegramCommands(bot: Bot, conversation: Conversation): Promise<void> {
  const list = (lang: Lang, forGroups: boolean) =>
    conversation.commands
      .filter((c) => !(forGroups && c.name === 'start'))
      .map((c) => ({
        command: c.name,
        description: conversation.text(c.descriptionKey, lang),
      }));
  for (const scope of [{ type: 'all_private_chats' as const }, { type: 'all_group_chats' as const }]) {
    const groups = scope.type === 'all_group_chats';
    await bot.api.setMyCommands(list('en', groups), { scope });
    // Telegram tells only "zh" apart, not the script; the article's own script is used.
    await bot.api.setMyCommands(list('zh-Hant', groups), { scope, language_code: 'zh' });
  }
}

export type { Update };
