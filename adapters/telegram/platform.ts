import { type Context, GrammyError, HttpError } from 'grammy';
import type { Logger } from '../../src/logger.ts';
import type { FailureReport, Platform, Turn } from '../../src/protocol/platform.ts';
import { createTelegramPoster, isTelegramAdmin } from './poster.ts';
import { TELEGRAM_MAX_MESSAGE } from './render.ts';
import type { TelegramSender } from './send.ts';

/** Telegram's limits as the core needs them (an inline keyboard holds up to 100 buttons). */
const LIMITS = { messageChars: TELEGRAM_MAX_MESSAGE, buttonLabelChars: 60, buttons: 100 } as const;

/** What a failure of the Bot API means: a network fault leaves no way to apologise; a refusal or our own bug does. */
export function describeTelegramFailure(error: unknown): FailureReport {
  if (error instanceof HttpError) return { kind: 'network', apologise: false };
  if (error instanceof GrammyError) return { kind: 'telegram-refused', apologise: true };
  return { kind: 'handler', apologise: true };
}

/** Telegram as the core's Platform: its limits, its reminder poster, its failures. */
export function telegramPlatform(sender: TelegramSender): Platform {
  return { name: 'telegram', limits: LIMITS, poster: createTelegramPoster(sender), describeFailure: describeTelegramFailure };
}

/** Whether the sender administers the chat: channel posts come from its admins, so does a message "sent as the group". */
async function senderAdministers(ctx: Context): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat || chat.type === 'private' || chat.type === 'channel') return true;
  if (ctx.senderChat?.id === chat.id) return true;
  return ctx.from ? isTelegramAdmin(ctx.api, chat.id, ctx.from.id) : false;
}

/** Answering one message (or a group event): posts go to its chat, in groups as a reply to it. */
export function messageTurn(ctx: Context, sender: TelegramSender, replyTo?: number): Turn {
  const chatId = ctx.chat?.id as number;
  const inGroup = ctx.chat?.type !== 'private';
  return {
    requestId: String(ctx.update.update_id),
    async post(reply) {
      await sender.send(chatId, reply, { replyTo: inGroup ? replyTo : undefined });
    },
    // A message has no private channel back to its sender: the chat is not disturbed.
    notify: async () => undefined,
    typing: () =>
      ctx.api.sendChatAction(chatId, 'typing').then(
        () => undefined,
        () => undefined,
      ),
    isAdmin: () => senderAdministers(ctx),
  };
}

/**
 * Answering a button press. Telegram wants each press acknowledged once: with a toast for a
 * notice meant for the presser alone, silently before anything is posted. A late acknowledgement
 * is refused ("query is too old": a press during a restart); only the spinner is lost then.
 */
export function buttonTurn(ctx: Context, sender: TelegramSender, logger: Logger): Turn {
  let acknowledged: Promise<void> | undefined;
  const acknowledge = (text?: string) => {
    acknowledged ??= ctx.answerCallbackQuery(text === undefined ? undefined : { text }).then(
      () => undefined,
      (error: unknown) => logger.info({ update: ctx.update.update_id, err: error }, 'telegram: button press not acknowledged'),
    );
    return acknowledged;
  };
  const message = messageTurn(ctx, sender);
  return {
    ...message,
    async post(reply) {
      await acknowledge();
      await message.post(reply);
    },
    async notify(reply) {
      const text = reply.blocks.map((b) => ('text' in b ? b.text : '')).join(' ');
      await acknowledge(Array.from(text).slice(0, 200).join(''));
    },
    async typing() {
      await acknowledge();
      await message.typing();
    },
  };
}
