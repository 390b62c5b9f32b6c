import type { Content } from '../content/load.ts';
import { LANGS } from '../text/script.ts';
import { stemEnglish } from './features.ts';

/**
 * Every word the content knows (Chinese characters, English stems): what the article says, how
 * questions about it are phrased, its subjects and the cue words of questions. A question whose
 * words are largely unknown here asks about something the article does not mention ("how old
 * were the suspects?", "有没有请律师"), however close its other words come to an entry.
 */
export interface Vocabulary {
  /** The share (0…1) of the question's content words the content never uses, those words, and how many there were. */
  unknownShare(folded: string): { share: number; words: string[]; total: number };
}

const HAN = /\p{Script=Han}/gu;
const WORD = /[a-z][a-z']*/g;

export function contentTexts(content: Content): string[] {
  const texts: string[] = content.article.blocks.map((b) => b.text);
  for (const e of content.knowledge.entries) {
    for (const lang of LANGS) texts.push(...e.questions[lang], e.answer[lang]);
    texts.push(...e.triggers, ...e.citations.map((c) => c.quote));
  }
  for (const s of content.knowledge.subjects) texts.push(...s.terms, ...LANGS.map((l) => s.label[l]));
  for (const cues of Object.values(content.language.kinds)) texts.push(...cues.map((c) => c.replace(/\$$/, '')));
  for (const [from, to] of content.language.variants) texts.push(from, to);
  texts.push(...content.language.casual);
  return texts;
}

export function createVocabulary(texts: readonly string[], fold: (text: string) => string): Vocabulary {
  const han = new Set<string>();
  const stems = new Set<string>();
  // One fold of everything: script conversion costs per call far more than per character.
  const folded = fold(texts.join('\n'));
  for (const [ch] of folded.matchAll(HAN)) han.add(ch);
  for (const w of new Set(folded.match(WORD) ?? [])) stems.add(stemEnglish(w));
  const byLength = new Map<number, string[]>();
  for (const s of stems) byLength.set(s.length, [...(byLength.get(s.length) ?? []), s]);
  // A misspelling of a known word is known: one edit (a transposition counts as one) from five letters.
  const nearKnown = (stem: string) => {
    if (stem.length < 5) return false;
    for (const n of [stem.length - 1, stem.length, stem.length + 1])
      for (const s of byLength.get(n) ?? []) if (withinOneEdit(stem, s)) return true;
    return false;
  };
  return {
    unknownShare(folded) {
      const words: string[] = [];
      let total = 0;
      for (const [ch] of folded.matchAll(HAN)) {
        total += 1;
        if (!han.has(ch)) words.push(ch);
      }
      for (const [w] of folded.matchAll(WORD)) {
        const stem = stemEnglish(w);
        total += 1;
        if (!stems.has(stem) && !nearKnown(stem)) words.push(w);
      }
      return { share: total === 0 ? 0 : words.length / total, words, total };
    },
  };
}

/** Optimal string alignment distance ≤ 1: one insertion, deletion, substitution or transposition. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
