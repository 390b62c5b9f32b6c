import type { ChatEvent, PlatformName } from './event.ts';
import type { Reply } from './reply.ts';

/** What a platform's messages hold; the core keeps the buttons it offers within them. */
export interface PlatformLimits {
  /** Characters of text in one message. */
  messageChars: number;
  /** Characters of one button's label. */
  buttonLabelChars: number;
  /** Follow-up and ask-back buttons under one reply. */
  buttons: number;
}

/**
 * The platform's side of answering one event, bound by the adapter to the request it came
 * with (a Telegram update, a Discord interaction). The core calls these; it never sees the request.
 */
export interface Turn {
  /** Posts the reply where the event came from (in groups, as a reply to the message asked). */
  post(reply: Reply): Promise<void>;
  /**
   * Tells the sender alone, where the platform has a way to (a Discord ephemeral message, the
   * toast of a Telegram button); does nothing where it has none, so the chat is not disturbed.
   */
  notify(reply: Reply): Promise<void>;
  /** Slow work is starting: show typing, or acknowledge the request before its deadline. */
  typing(): Promise<void>;
  /** Whether the sender administers this chat, asked of the platform now. */
  isAdmin(): Promise<boolean>;
  /** The platform's id of the request (an update id, an interaction id), for logs. */
  readonly requestId?: string;
}

/** How a scheduled post went: posted, the chat is gone for good, or it moved to a new id. */
export type PostOutcome = 'sent' | 'gone' | { movedTo: string };

/** Posts into a chat outside any conversation (scheduled reminders). */
export interface Poster {
  post(chatId: string, reply: Reply): Promise<PostOutcome>;
}

/** How the core should treat a failure while answering: expected ones are logged quietly, and not apologised for. */
export interface FailureReport {
  /** A stable name for logs ("network", "interaction-expired", "handler"). */
  kind: string;
  /** Whether a short apology can still reach the sender. */
  apologise: boolean;
  /** Part of a bot's life (an interaction that expired): logged as a warning, not an error. */
  expected?: boolean;
}

/** One chat platform, as the core sees it. Adapters implement it; the core runs the conversation through it. */
export interface Platform {
  readonly name: PlatformName;
  readonly limits: PlatformLimits;
  /** The platform lists commands under localized names (Discord: /提問), so notices name them so. */
  readonly localizedCommandNames?: boolean;
  /** Scheduled posts on this platform, when it can post outside a conversation. */
  readonly poster?: Poster;
  /** What a failure thrown by this platform's client means. */
  describeFailure(error: unknown): FailureReport;
}

/** An event and the turn that answers it, as an adapter hands them to the core. */
export interface Inbound {
  event: ChatEvent;
  turn: Turn;
}
