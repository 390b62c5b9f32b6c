import { type Api, GrammyError } from 'grammy';
import type { Poster } from '../../src/protocol/platform.ts';
import type { TelegramSender } from './send.ts';

/**
 * Reminder posts on Telegram. A chat that blocked or removed the bot, or no longer exists, is
 * 'gone'; a group that became a supergroup answers with its new id (`migrate_to_chat_id`).
 * Other failures (already retried by the Api's auto-retry) are thrown for the scheduler's backoff.
 */
export function createTelegramPoster(sender: TelegramSender): Poster {
  return {
    async post(chatId, reply) {
      try {
        return (await sender.send(chatId, reply)) === 'blocked' ? 'gone' : 'sent';
      } catch (error) {
        if (error instanceof GrammyError) {
          const movedTo = error.parameters?.migrate_to_chat_id;
          if (movedTo !== undefined) return { movedTo: String(movedTo) };
          if (error.error_code === 400 && /chat not found|group chat was deactivated|chat was deleted/i.test(error.description))
            return 'gone';
        }
        throw error;
      }
    },
  };
}

/** Whether `userId` administers `chatId`, asked of Telegram now. */
export async function isTelegramAdmin(api: Api, chatId: number, userId: number): Promise<boolean> {
  const member = await api.getChatMember(chatId, userId);
  return member.status === 'administrator' || member.status === 'creator';
}
