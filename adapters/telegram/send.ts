import { type Api, GrammyError } from 'grammy';
import type { Logger } from '../../src/logger.ts';
import type { Reply } from '../../src/protocol/reply.ts';
import type { KeyValue, Store } from '../../src/store/store.ts';
import { langLabelsFrom, type PlatformTexts } from '../shared/buttons.ts';
import { renderTelegram } from './render.ts';

export interface SendOptions {
  /** In groups the answer replies to the question, so threads stay readable. */
  replyTo?: number;
}

export interface TelegramSender {
  send(chatId: number | string, reply: Reply, options?: SendOptions): Promise<'sent' | 'blocked'>;
}

/** The sender as the bot and reminder posters build it: button labels from the UI strings, 403s recorded. */
export function createTelegramSenderFor(api: Api, texts: Pick<PlatformTexts, 'text'>, store: Store, logger: Logger): TelegramSender {
  return createTelegramSender(api, langLabelsFrom(texts), store.namespace<number>(BLOCKED_NAMESPACE), logger);
}

/** Chats that blocked or removed the bot, with when it was noticed (kept 180 days). */
export const BLOCKED_NAMESPACE = 'telegram-blocked';
export const BLOCKED_TTL_MS = 180 * 24 * 3_600_000;

/**
 * Renders and sends a reply. 403 (blocked, kicked) is expected in a bot's life: recorded and
 * logged quietly, never thrown. Other failures propagate to the core's error boundary.
 */
export function createTelegramSender(
  api: Api,
  langLabels: Parameters<typeof renderTelegram>[1],
  blocked: KeyValue<number>,
  logger: Logger,
): TelegramSender {
  // Replies are immutable and the core reuses them for repeated questions: render each once.
  const rendered = new WeakMap<Reply, ReturnType<typeof renderTelegram>>();
  return {
    async send(chatId, reply, options = {}) {
      let messages = rendered.get(reply);
      if (!messages) {
        messages = renderTelegram(reply, langLabels);
        rendered.set(reply, messages);
      }
      try {
        for (const [i, m] of messages.entries()) {
          await api.sendMessage(chatId, m.html, {
            parse_mode: 'HTML',
            link_preview_options: { is_disabled: true },
            ...(m.keyboard ? { reply_markup: { inline_keyboard: m.keyboard } } : {}),
            ...(i === 0 && options.replyTo ? { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } } : {}),
          });
        }
        return 'sent';
      } catch (error) {
        if (error instanceof GrammyError && error.error_code === 403) {
          await blocked.set(String(chatId), Date.now(), BLOCKED_TTL_MS);
          logger.info({ chat: chatId, description: error.description }, 'telegram: cannot write to this chat (blocked or removed)');
          return 'blocked';
        }
        throw error;
      }
    },
  };
}
