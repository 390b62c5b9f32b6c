import type { UiKey } from '../content/ui-schema.ts';
import type { Reply } from '../protocol/reply.ts';
import type { Lang } from '../text/script.ts';

export interface LlmQuestion {
  question: string;
  /** What the core understood of it (kind of question, subjects), attached for the model. */
  understood?: string;
  lang: Lang;
  platform: string;
  chatId: string;
  userId: string;
  previousEntryId?: string;
}

export type LlmFallbackReason =
  | 'breaker-open'
  | 'rate-limited'
  | 'budget-exhausted'
  | 'call-failed'
  | 'unparseable'
  | 'not-in-article'
  | 'unverified';

/** Either a verified reply to send, or why the offline answer goes out instead. */
/** `tokens`: what a model call cost (also when its answer was then rejected). */
export type LlmOutcome =
  | { reply: Reply; cached: boolean; tokens?: number }
  | { fallback: LlmFallbackReason; notice?: UiKey; tokens?: number };
