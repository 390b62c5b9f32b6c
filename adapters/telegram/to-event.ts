import type { Context } from 'grammy';
import type { Message, User } from 'grammy/types';
import { COMMAND_NAMES } from '../../src/protocol/commands.ts';
import type { ChatEvent, ChatType } from '../../src/protocol/event.ts';

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
  {
    mention = mentionPattern(me.username),
    commandNames = new Set<string>(COMMAND_NAMES),
  }: { mention?: RegExp; commandNames?: ReadonlySet<string> } = {},
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
    // Any other command is taken for a question.
    return commandNames.has(command) ? { ...base, text: args, command } : { ...base, text: args };
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

/** The bot was added to a group: it introduces itself, in the language of whoever added it. */
export function joinedEvent(ctx: Context): ChatEvent {
  return {
    platform: 'telegram',
    chatId: String(ctx.chat?.id),
    userId: String(ctx.from?.id ?? ctx.chat?.id),
    chatType: 'group',
    text: '',
    locale: ctx.from?.language_code,
    signal: 'joined',
  };
}

/** A button press: its data is read by the core. A press without a chat (an inline message) has no answer to go to. */
export function callbackEvent(ctx: Context): ChatEvent {
  const query = ctx.callbackQuery;
  const from = query?.from;
  return {
    platform: 'telegram',
    chatId: String(ctx.chat?.id ?? `inline:${from?.id}`),
    userId: String(from?.id),
    chatType: chatTypeOf(ctx.chat?.type ?? 'private'),
    text: '',
    locale: from?.language_code,
    button: ctx.chat ? (query?.data ?? '') : '',
  };
}
