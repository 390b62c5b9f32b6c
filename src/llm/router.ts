import type { AnswerTrace } from '../qa/answer.ts';

/**
 * When the offline answer is final and when the LLM is asked (documented in the README):
 * - final offline: clarify, injection attempts, off-topic, false premises, known unknowns,
 *   recommendation numbers, follow-up buttons, and confident matches of plain questions;
 * - LLM: questions the article covers but no entry matches, weak matches, and free-form
 *   requests (explain, simplify, compare, "what does it mean for me") even when a match is
 *   confident, because a fluent answer serves them better than a stored one.
 */
export const LLM_BELOW_SCORE = 0.55;

const FREE_FORM =
  /\b(explain|simply|simple terms|in other words|compare|comparison|difference|mean for me|what does (?:this|it|that) mean|implications?|analy[sz]e|should i|why do|why would|how come|in detail)\b|解釋|解释|簡單|简单|通俗|白話|白话|比較|比较|區別|区别|意味|對我|对我|我該|我该|為什麼會|为什么会|分析|有什麼影響|有什么影响|怎麼理解|怎么理解/i;

export function shouldAskLlm(trace: AnswerTrace, text: string): boolean {
  if (trace.rule === 'not-covered') return true;
  if (trace.rule !== 'match') return false;
  if (trace.reply.kind !== 'answer') return false;
  return trace.score < LLM_BELOW_SCORE || FREE_FORM.test(text);
}
