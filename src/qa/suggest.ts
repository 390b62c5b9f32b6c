import type { Lang } from '../text/script.ts';
import { type AnswerDeps, isAnswerable } from './answer-deps.ts';

/** Known questions for what a user is typing (autocomplete), best first, in their language. */
export function suggestQuestions({ content, matching }: AnswerDeps, partial: string, lang: Lang, limit: number): string[] {
  const { fold, index, features } = matching;
  const entries = content.knowledge.entries;
  const folded = fold(partial);
  const ranked = folded ? index.search(features(folded), isAnswerable).map((m) => m.entry) : entries.filter(isAnswerable);
  // Questions containing what was typed come first, then the closest matches.
  const byText = folded ? entries.filter((e) => isAnswerable(e) && e.questions[lang].some((q) => fold(q).includes(folded))) : [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const entry of [...byText, ...ranked]) {
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    const question = (folded && entry.questions[lang].find((q) => fold(q).includes(folded))) || entry.questions[lang][0];
    if (question) out.push(question);
    if (out.length >= limit) break;
  }
  return out;
}
