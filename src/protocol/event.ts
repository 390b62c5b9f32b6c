import type { Lang } from './lang.ts';

export type PlatformName = 'telegram' | 'discord' | 'console' | 'cli';
export type ChatType = 'private' | 'group' | 'channel';

/** One incoming message, as every adapter describes it to the core. */
export interface ChatEvent {
  platform: PlatformName;
  chatId: string;
  userId: string;
  chatType: ChatType;
  /** What the user wrote (for a command: its argument text). */
  text: string;
  /** A command name without slash, when the user invoked one (src/protocol/commands.ts lists them). */
  command?: string;
  /** The platform's language for the user, e.g. "zh-TW", "en-US": a hint, below the text itself. */
  locale?: string;
  /** An explicit language request (a button, the JSONL `lang` field): a hint like `locale`. */
  langHint?: Lang;
  /** A follow-up button pressed: answer this entry directly. */
  entryId?: string;
  /** A "source paragraph" button pressed: show this article block in full. */
  blockId?: string;
  /** A button pressed, as its data came back from the platform (src/protocol/button-data.ts); the core reads it. */
  button?: string;
  /**
   * Not a message: the bot was added to a group (it introduces itself), or the platform offered
   * a command registered by an older deploy (the sender is told it was removed).
   */
  signal?: 'joined' | 'stale-command';
}
