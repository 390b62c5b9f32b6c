import type { AnswerTrace } from '../qa/answer.ts';
import type { Reading } from '../qa/reading.ts';

/**
 * When the offline answer is final and when the LLM is asked (documented in the README):
 * - final offline: clarify, injection attempts, off-topic, false premises, known unknowns and
 *   "the article does not say" replies, recommendation numbers, follow-up buttons, and confident
 *   matches of plain questions;
 * - LLM: questions the core is unsure of (it would ask back, or matched weakly), questions the
 *   article covers but no entry matches, and free-form requests (explain, simplify, compare,
 *   "what does it mean for me") even when a match is confident, because a fluent answer serves
 *   them better than a stored one. When the model's answer fails verification, the offline reply
 *   goes out: for an unsure question that is the "did you mean" ask-back, never a guess.
 */
export const LLM_BELOW_SCORE = 0.55;

const FREE_FORM =
  /\b(explain|simply|simple terms|in other words|compare|comparison|difference|mean for me|what does (?:this|it|that) mean|implications?|analy[sz]e|should i|why do|why would|how come|in detail)\b|解釋|解释|簡單|简单|通俗|白話|白话|比較|比较|區別|区别|意味|對我|对我|我該|我该|為什麼會|为什么会|分析|有什麼影響|有什么影响|怎麼理解|怎么理解/i;

export function shouldAskLlm(trace: AnswerTrace, text: string): boolean {
  if (trace.rule === 'not-covered' || trace.rule === 'ask-back') return true;
  const freeForm = FREE_FORM.test(text) || trace.reading?.kinds.has('explain') === true || trace.reading?.kinds.has('compare') === true;
  if (trace.rule === 'parts') return freeForm && trace.reply.kind === 'answer';
  if (trace.rule !== 'match' && trace.rule !== 'structure') return false;
  if (trace.reply.kind !== 'answer') return false;
  return trace.score < LLM_BELOW_SCORE || freeForm;
}

/** What the core understood of a question, for the model: "asks: where; about: compounds; yes/no". */
export function describeReading(reading: Reading | undefined): string | undefined {
  if (!reading) return undefined;
  const parts: string[] = [];
  const kinds = [...reading.kinds].filter((k) => k !== 'yes_no');
  if (kinds.length > 0) parts.push(`asks: ${kinds.join(', ')}`);
  if (reading.subjects.size > 0) parts.push(`about: ${[...reading.subjects].join(', ')}`);
  if (reading.yesNo) parts.push('a yes/no question');
  return parts.length > 0 ? parts.join('; ') : undefined;
}
