import type { Reply } from '../protocol/reply.ts';
import type { Lang } from '../text/script.ts';
import type { Reading } from './reading.ts';

export interface AnswerInput {
  /** Cleaned text (see text/normalize.ts). */
  text: string;
  lang: Lang;
  /** The entry answered in the previous turn of this chat, for follow-ups. */
  previousEntryId?: string;
}

export type AnswerRule =
  | 'clarify'
  | 'injection'
  | 'premise'
  | 'offtopic'
  | 'ordinal'
  | 'follow-up'
  | 'compare'
  | 'match'
  | 'structure'
  | 'not-stated'
  | 'ask-back'
  | 'not-covered'
  | 'no-match'
  | 'parts';

export interface AnswerTrace {
  reply: Reply;
  /** Which rule decided, the best score and its margin over the runner-up: for the eval and the LLM router. */
  rule: AnswerRule;
  score: number;
  margin?: number;
  /** What was understood of the (last) question: for the LLM router and the eval. */
  reading?: Reading;
  /** The question found in the message (its question sentences), for the LLM. */
  question?: string;
  /** The best candidates considered, for the eval's failure report. */
  considered?: string[];
}

export interface Answerer {
  answer(input: AnswerInput): AnswerTrace;
  /** The same without the memo of recent answers (for measuring the matcher itself). */
  answerFresh(input: AnswerInput): AnswerTrace;
  /** The words of a message that ask (its question sentences, no injected instructions or markup): what its language is read from. */
  questionOf(text: string): string;
  /** Known questions for what a user is typing (autocomplete), best first, in their language. */
  suggest(partial: string, lang: Lang, limit: number): string[];
}
