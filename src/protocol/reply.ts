import type { ButtonCommandName } from './commands.ts';
import type { Lang } from './lang.ts';

export type ReplyKind = 'answer' | 'not_in_article' | 'out_of_scope' | 'refused' | 'clarify';

export type ReplyBlock =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; ordered: boolean; items: string[] }
  /** A passage of the article as shown to the reader (converted for Simplified readers; the label says so). */
  | { type: 'quote'; text: string; blockId: string; label: string }
  | { type: 'notice'; text: string };

export interface ReplyCitation {
  block: string;
  /** The article's exact words: a substring of that block's text in article.json, byte for byte. */
  quote: string;
}

/** What a follow-up button does when pressed. */
export type SuggestionAction =
  | { type: 'entry'; id: string }
  | { type: 'block'; id: string }
  | { type: 'command'; command: ButtonCommandName; arg?: string }
  | { type: 'lang'; lang: Lang };

export interface Suggestion {
  label: string;
  action: SuggestionAction;
}

/** The core's answer: semantic blocks, never HTML or Markdown. Adapters render it. */
export interface Reply {
  kind: ReplyKind;
  lang: Lang;
  blocks: ReplyBlock[];
  citations: ReplyCitation[];
  suggestions: Suggestion[];
  source: 'offline' | 'llm';
  /** The knowledge entry this reply answered, when there is one (used for follow-ups). */
  entryId?: string;
  /**
   * Nothing should be posted (a flooding sender already told to slow down). A platform that
   * must acknowledge every request (Discord interactions) shows the text privately instead.
   */
  silent?: boolean;
  /** Only the sender needs to see it (a refusal of their command): platforms that can show it privately do. */
  private?: boolean;
}
