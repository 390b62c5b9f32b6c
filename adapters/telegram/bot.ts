import { sequentialize } from '@grammyjs/runner';
import { Bot, type BotError, type Context, GrammyError, HttpError } from 'grammy';
import type { Update } from 'grammy/types';
import type { TelegramConfig } from '../../src/config.ts';
import type { Core } from '../../src/core/core.ts';
import { langFromLocale } from '../../src/core/language.ts';
import type { Logger } from '../../src/logger.ts';
import type { ChatEvent } from '../../src/protocol/event.ts';
import type { Reminders } from '../../src/reminders/scheduler.ts';
import type { KeyValue, Store } from '../../src/store/store.ts';
import type { Lang } from '../../src/text/script.ts';
import { actionEvent, decodeAction, isLive } from '../shared/button-data.ts';
import { clientOptions, configureTelegramApi } from './api.ts';
import type { TelegramHttp } from './api-fetch.ts';
import { createTelegramPoster, isTelegramAdmin } from './poster.ts';
import { BLOCKED_NAMESPACE, BLOCKED_TTL_MS, createTelegramSenderFor } from './send.ts';
import { chatTypeOf, mentionPattern, messageToEvent } from './to-event.ts';

export interface TelegramBotDeps {
  token: string;
  config: TelegramConfig;
  core: Core;
  store: Store;
  logger: Logger;
  /** The HTTP client for Bot API calls (see api-fetch.ts); grammY's default when absent. */
  http?: TelegramHttp;
  /** When given, reminders are posted through this bot (one pacer for all its messages). */
  reminders?: Reminders;
  /** How long one Bot API call may take (see transformers.ts); tests shorten it. */
  callTimeoutSeconds?: number;
}

/** Update ids already handled are remembered this long: Telegram re-delivers within minutes. */
const SEEN_UPDATE_TTL_MS = 24 * 3_600_000;

/** The grammY bot with every handler; transport (polling or webhook) is chosen by the caller. */
export function createTelegramBot({ token, config, core, store, logger, http, reminders, callTimeoutSeconds }: TelegramBotDeps): Bot {
  const bot = new Bot(token, { client: clientOptions(config, http, callTimeoutSeconds) });
  configureTelegramApi(bot.api, config, logger);

  // Batched: a crash within the batch delay is the only way an update could be answered twice.
  const seen = store.claims('telegram-updates', { durability: 'batched' });
  const blocked: KeyValue<number> = store.namespace(BLOCKED_NAMESPACE);
  const ui = core.composer;
  const sender = createTelegramSenderFor(bot.api, ui, store, logger);
  reminders?.usePoster('telegram', createTelegramPoster(sender));

  // Updates of one chat are handled in order, others concurrently (polling and webhook alike).
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  // One catch-all: log with the update id, apologise briefly, keep running. It wraps every
  // handler, so it applies whether updates come from polling, the webhook or handleUpdate.
  const onError = async (err: BotError<Context>) => {
    const { ctx, error } = err;
    const kind = error instanceof GrammyError ? 'telegram-refused' : error instanceof HttpError ? 'network' : 'handler';
    logger.error({ update: ctx.update.update_id, kind, err: error }, 'telegram: update failed');
    const chatId = ctx.chat?.id;
    if (chatId !== undefined && kind !== 'network') {
      const lang = langFromLocale(ctx.from?.language_code) ?? 'zh-Hant';
      await ctx.api.sendMessage(chatId, ui.text('apology', lang)).catch(() => undefined);
    }
  };
  bot.catch(onError);
  const handlers = bot.errorBoundary(onError);
  // A repeated update id (webhook re-delivery, a restart mid-batch) is never answered twice.
  handlers.use(async (ctx, next) => {
    if (!(await seen.claim(String(ctx.update.update_id), SEEN_UPDATE_TTL_MS))) {
      logger.debug({ update: ctx.update.update_id }, 'telegram: duplicate update ignored');
      return;
    }
    await next();
  });

  const answer = async (ctx: Context, event: ChatEvent, replyTo?: number) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return;
    const reply = await core.handle(event, {
      onSlowWork: () =>
        ctx.api.sendChatAction(chatId, 'typing').then(
          () => undefined,
          () => undefined,
        ),
      isAdmin: async () => {
        // Channel posts come from its admins; a message "sent as the group" from an anonymous admin.
        if (event.chatType === 'private' || event.chatType === 'channel') return true;
        if (ctx.senderChat?.id === chatId) return true;
        return ctx.from ? isTelegramAdmin(ctx.api, chatId, ctx.from.id) : false;
      },
    });
    if (reply.silent) return;
    const outcome = await sender.send(chatId, reply, { replyTo: event.chatType === 'private' ? undefined : replyTo });
    // A child logger per update costs a redaction pass over its bindings: made only when it will write.
    if (logger.isLevelEnabled('debug'))
      logger
        .child({ update: ctx.update.update_id, chat: chatId })
        .debug({ kind: reply.kind, source: reply.source, outcome }, 'telegram: answered');
  };

  handlers.on('message:migrate_to_chat_id', async (ctx) => {
    const to = ctx.message.migrate_to_chat_id;
    await core.migrateChat('telegram', String(ctx.chat.id), String(to));
    await reminders?.migrate('telegram', String(ctx.chat.id), String(to));
    logger.info({ from: ctx.chat.id, to }, 'telegram: group became a supergroup; settings moved');
  });

  handlers.on('my_chat_member', async (ctx) => {
    const { old_chat_member: before, new_chat_member: after } = ctx.myChatMember;
    const joined =
      (before.status === 'left' || before.status === 'kicked') && (after.status === 'member' || after.status === 'administrator');
    if (joined && chatTypeOf(ctx.chat.type) === 'group') {
      const lang = langFromLocale(ctx.from?.language_code) ?? 'zh-Hant';
      const intro = {
        kind: 'clarify' as const,
        lang,
        blocks: [{ type: 'paragraph' as const, text: ui.text('groupIntro', lang) }],
        citations: [],
        suggestions: ui.defaultSuggestions(lang),
        source: 'offline' as const,
      };
      await sender.send(ctx.chat.id, intro);
    }
    if (after.status === 'kicked' || after.status === 'left') {
      await blocked.set(String(ctx.chat.id), Date.now(), BLOCKED_TTL_MS);
      logger.info({ chat: ctx.chat.id }, 'telegram: removed from a chat');
    }
  });

  let mention: RegExp | undefined;
  handlers.on('message', async (ctx) => {
    mention ??= mentionPattern(ctx.me.username);
    const event = messageToEvent(ctx.message, ctx.from, { id: ctx.me.id, username: ctx.me.username }, mention);
    if (!event) return;
    // Stickers, photos and voice notes carry no question: only worth a reply when addressed privately.
    if (!ctx.message.text && !ctx.message.caption && event.chatType !== 'private') return;
    await answer(ctx, event, ctx.message.message_id);
  });

  handlers.on('callback_query:data', async (ctx) => {
    const action = decodeAction(ctx.callbackQuery.data);
    const lang = langFromLocale(ctx.from.language_code) ?? 'zh-Hant';
    // Telegram refuses a late answer ("query is too old": a press during a restart or a slow
    // reply). Only the button's spinner is lost: the press is still answered in the chat.
    const acknowledge = (text?: string) =>
      ctx.answerCallbackQuery(text === undefined ? undefined : { text }).catch((error: unknown) => {
        logger.info({ update: ctx.update.update_id, err: error }, 'telegram: button press not acknowledged');
      });
    if (!action || !ctx.chat || !isLive(action, ui)) {
      await acknowledge(ui.text('buttonExpired', lang));
      logger.info({ update: ctx.update.update_id, data: ctx.callbackQuery.data?.slice(0, 64) }, 'telegram: invalid or expired button');
      return;
    }
    await acknowledge();
    const event = actionEvent(action, {
      platform: 'telegram',
      chatId: String(ctx.chat.id),
      userId: String(ctx.from.id),
      chatType: chatTypeOf(ctx.chat.type),
      locale: ctx.from.language_code,
    });
    await answer(ctx, event);
  });

  return bot;
}

/** The commands as Telegram lists them, per language and scope. */
export async function registerTelegramCommands(bot: Bot, core: Core): Promise<void> {
  const list = (lang: Lang, forGroups: boolean) =>
    core.commands
      .filter((c) => !(forGroups && c.name === 'start'))
      .map((c) => ({
        command: c.name,
        description: core.composer.text(c.descriptionKey, lang),
      }));
  for (const scope of [{ type: 'all_private_chats' as const }, { type: 'all_group_chats' as const }]) {
    const groups = scope.type === 'all_group_chats';
    await bot.api.setMyCommands(list('en', groups), { scope });
    // Telegram tells only "zh" apart, not the script; the article's own script is used.
    await bot.api.setMyCommands(list('zh-Hant', groups), { scope, language_code: 'zh' });
  }
}

export type { Update };
