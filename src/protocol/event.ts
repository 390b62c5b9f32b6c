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
  /** A command name without slash, when the user invoked one (ask, summary, advice, …). */
  command?: string;
  /** The platform's language for the user, e.g. "zh-TW", "en-US": a hint, below the text itself. */
  locale?: string;
  /** An explicit language request (a button, the JSONL `lang` field): a hint like `locale`. */
  langHint?: Lang;
  /** A follow-up button pressed: answer this entry directly. */
  entryId?: string;
  /** A "source paragraph" button pressed: show this article block in full. */
  blockId?: string;
}
