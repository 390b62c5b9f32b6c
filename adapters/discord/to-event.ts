import type { ChatEvent } from '../../src/protocol/event.ts';

/** The parts of a discord.js interaction the core needs; kept plain so it can be tested as data. */
export interface InteractionFacts {
  channelId: string | null;
  userId: string;
  guildId: string | null;
  locale: string;
}

export function baseEvent(facts: InteractionFacts): Omit<ChatEvent, 'text'> {
  return {
    platform: 'discord',
    // DMs have a channel too; a server's channel is the chat.
    chatId: facts.channelId ?? `dm:${facts.userId}`,
    userId: facts.userId,
    chatType: facts.guildId ? 'group' : 'private',
    locale: facts.locale,
  };
}

/** A slash command as a core event; /ask's question (or another command's argument) is the text. */
export function commandToEvent(facts: InteractionFacts, command: string, argument: string | number | null): ChatEvent {
  const text = argument === null ? '' : String(argument);
  return command === 'ask' ? { ...baseEvent(facts), text } : { ...baseEvent(facts), text, command };
}

/** A sub-command and its options as the core's argument text: `on 21:30 Asia/Taipei` (options left empty are left out). */
export function subcommandText(subcommand: string, values: readonly (string | null | undefined)[]): string {
  return [subcommand, ...values]
    .map((v) => v?.trim() ?? '')
    .filter((v) => v !== '')
    .join(' ');
}
