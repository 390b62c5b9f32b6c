import type { Logger } from '../logger.ts';
import type { LlmQuestion } from './outcome.ts';
import { type ModelAnswer, parseModelAnswer } from './parse.ts';
import type { Verifier } from './verify.ts';

/**
 * Whether the model's text becomes the reply. A rejection the same question would get again
 * (`remember`) is cached; an unparseable answer is not, as a retry may well parse.
 */
export type Acceptance =
  | { accepted: true; answer: ModelAnswer }
  | { accepted: false; fallback: 'unparseable'; remember: false }
  | { accepted: false; fallback: 'not-in-article' | 'unverified'; remember: true };

export type AnswerAcceptance = (text: string, question: LlmQuestion, log: Logger) => Acceptance;

/** Parses the model's text and verifies it against the article; logs why it was not used. */
export function createAnswerAcceptance({ verifier }: { verifier: Verifier }): AnswerAcceptance {
  return (text, q, log) => {
    const parsed = parseModelAnswer(text);
    if (!parsed) {
      log.warn({ reason: 'unparseable', sample: text.slice(0, 200) }, 'llm answer is not the expected JSON; sending the offline answer');
      return { accepted: false, fallback: 'unparseable', remember: false };
    }
    if (parsed.status === 'not_in_article') {
      log.info({ reason: 'not-in-article' }, 'llm says the article does not cover it; sending the offline answer');
      return { accepted: false, fallback: 'not-in-article', remember: true };
    }
    const verdict = verifier.verify(parsed, { question: q.question, lang: q.lang });
    if (!verdict.ok) {
      log.warn({ reason: 'unverified', problems: verdict.reasons }, 'llm answer failed verification; sending the offline answer');
      return { accepted: false, fallback: 'unverified', remember: true };
    }
    return { accepted: true, answer: verdict.answer };
  };
}
