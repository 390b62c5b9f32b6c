import type { Message, User } from 'grammy/types';
import type { ChatEvent, ChatType } from '../../src/protocol/event.ts';

/** Commands the core answers; any other command is treated as a question. */
export const CORE_COMMANDS = new Set(['start', 'ask', 'summary', 'advice', 'source', 'lang', 'remind', 'help']);

export interface BotIdentity {
  id: number;
  username: string;
}

/** "@BotName" anywhere in a message, to strip it from the question; build once per bot. */
export function mentionPattern(username: string): RegExp {
  return new RegExp(`@${username.replace(/[^\w]/g, '')}\\b`, 'gi');
}

export function chatTypeOf(type: string): ChatType {
  return type === 'private' ? 'private' : type === 'channel' ? 'channel' : 'group';
}

/**
 * A Telegram message as a core event, or undefined when the bot should stay quiet: in groups
 * only commands, mentions of the bot and replies to the bot are for it.
 */
export function messageToEvent(
  message: Message,
  from: User | undefined,
  me: BotIdentity,
  mention = mentionPattern(me.username),
): ChatEvent | undefined {
  const text = message.text ?? message.caption ?? '';
  const entities = message.entities ?? message.caption_entities ?? [];
  const chatType = chatTypeOf(message.chat.type);
  const base = {
    platform: 'telegram' as const,
    chatId: String(message.chat.id),
    userId: String(from?.id ?? message.sender_chat?.id ?? message.chat.id),
    chatType,
    locale: from?.language_code,
  };

  const commandEntity = entities.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (commandEntity) {
    const [name = '', target] = text.slice(1, commandEntity.length).split('@');
    // "/ask@OtherBot" is for another bot in the group.
    if (target && target.toLowerCase() !== me.username.toLowerCase()) return undefined;
    const args = text.slice(commandEntity.length).trim();
    const command = name.toLowerCase();
    return CORE_COMMANDS.has(command) ? { ...base, text: args, command } : { ...base, text: args };
  }

  const mentionsMe = entities.some(
    (e) =>
      (e.type === 'mention' && text.slice(e.offset, e.offset + e.length).toLowerCase() === `@${me.username.toLowerCase()}`) ||
      (e.type === 'text_mention' && e.user?.id === me.id),
  );
  const repliesToMe = message.reply_to_message?.from?.id === me.id;
  if (chatType !== 'private' && !mentionsMe && !repliesToMe) return undefined;
  const withoutMention = text.replace(mention, ' ').trim();
  return { ...base, text: withoutMention };
}
