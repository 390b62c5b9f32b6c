import { LRUCache } from 'lru-cache';
import type { Content } from '../content/load.ts';
import { LANGS } from '../text/script.ts';
import { type Stem, stemEnglish } from './features.ts';

/**
 * Every word the content knows (Chinese characters, English stems): what the article says, how
 * questions about it are phrased, its subjects and the cue words of questions. A question whose
 * words are largely unknown here asks about something the article does not mention ("how old
 * were the suspects?", "有没有请律师"), however close its other words come to an entry.
 */
export interface Vocabulary {
  /** The share (0…1) of the question's content words the content never uses, those words, and how many there were. */
  unknownShare(folded: string): { share: number; words: string[]; total: number };
  // (English function words are neither counted nor unknown.)
  /**
   * English words the content does not use, rewritten to the one known word a single edit away
   * ("chian" → "china", "mony" → "money"), so cue phrases and paraphrases see what was meant.
   */
  correct(folded: string): string;
  /** Whether an English word (folded) is the content's, or one edit from one of its words. */
  knows(word: string): boolean;
}

/** Spelling fixes kept: a bounded memory of words already looked up. */
const SPELLINGS_REMEMBERED = 5000;

/** Words shorter than this are left as typed: one edit from a short word is too often another word. */
const CORRECT_MIN_LENGTH = 4;

const HAN = /\p{Script=Han}/gu;
const WORD = /[a-z][a-z']*/g;

/** Every text of the content, for spelling: a typo of any word the content uses is that word. */
export function spellingTexts(content: Content): string[] {
  const texts = contentTexts(content);
  for (const e of content.knowledge.entries) for (const lang of LANGS) texts.push(...e.questions[lang], e.answer[lang]);
  for (const e of content.knowledge.entries) texts.push(...e.triggers);
  return texts;
}

/** The words of what the content is about: the article, how it is asked about, the topics it declines. */
export function contentTexts(content: Content): string[] {
  const texts: string[] = content.article.blocks.map((b) => b.text);
  for (const e of content.knowledge.entries) {
    // What the article does not say (its unknowns and false claims, asked and answered) is in
    // words it never uses: "were any of them women?" stays about something it does not mention.
    const saysNothing = e.kind === 'unknown' || e.kind === 'premise';
    if (!saysNothing) for (const lang of LANGS) texts.push(...e.questions[lang], e.answer[lang]);
    if (!saysNothing) texts.push(...e.triggers);
    texts.push(...e.citations.map((c) => c.quote));
  }
  for (const s of content.knowledge.subjects) texts.push(...s.terms, ...LANGS.map((l) => s.label[l]));
  for (const cues of Object.values(content.language.kinds)) texts.push(...cues.map((c) => c.replace(/\$$/, '')));
  for (const [from, to] of content.language.variants) texts.push(from, to);
  texts.push(...content.language.casual);
  return texts;
}

export interface VocabularyOptions {
  /** The texts whose words spelling is corrected to: `texts` by default. */
  spelling?: readonly string[];
  /** English words never counted as unknown (content/language.yaml's `functionWords`). */
  functionWords?: readonly string[];
  /** How English words are compared: the content's stems (see createMatchFold), plain stemming by default. */
  stem?: Stem;
}

export function createVocabulary(
  texts: readonly string[],
  fold: (text: string) => string,
  { spelling = texts, functionWords = [], stem = stemEnglish }: VocabularyOptions = {},
): Vocabulary {
  const ignored = new Set(functionWords.map((w) => fold(w)));
  const han = new Set<string>();
  const stems = new Set<string>();
  // One fold of everything: script conversion costs per call far more than per character.
  const folded = fold(texts.join('\n'));
  for (const [ch] of folded.matchAll(HAN)) han.add(ch);
  for (const w of new Set(folded.match(WORD) ?? [])) stems.add(stem(w));
  const nearStems = createOneEditIndex(stems, 5);
  // A misspelling of a known word is known: one edit (a transposition counts as one) from five letters.
  const nearKnown = (stem: string) => stem.length >= 5 && nearStems(stem).length > 0;
  const spelled = spelling === texts ? folded : fold(spelling.join('\n'));
  const speller = createSpeller(new Set(spelled.match(WORD) ?? []), stem);
  return {
    correct: speller,
    knows: (word) => stems.has(stem(word)) || nearKnown(stem(word)),
    unknownShare(folded) {
      const words: string[] = [];
      let total = 0;
      for (const [ch] of folded.matchAll(HAN)) {
        total += 1;
        if (!han.has(ch)) words.push(ch);
      }
      for (const [w] of folded.matchAll(WORD)) {
        if (ignored.has(w)) continue;
        const stemmed = stem(w);
        total += 1;
        if (!stems.has(stemmed) && !nearKnown(stemmed)) words.push(w);
      }
      return { share: total === 0 ? 0 : words.length / total, words, total };
    },
  };
}

/**
 * Symmetric-delete lookup (every known word under each of its one-letter deletions): a typed word
 * is checked against a handful of keys, not the whole vocabulary, so a long message costs little.
 */
function createSpeller(known: ReadonlySet<string>, stem: Stem): (folded: string) => string {
  const near = createOneEditIndex(known, CORRECT_MIN_LENGTH - 1);
  // Words repeat across messages and within one (it is folded in pieces): each is looked up once.
  const fixed = new LRUCache<string, string>({ max: SPELLINGS_REMEMBERED });
  const lookUp = (word: string): string => {
    // Typos rarely touch the first letter ("iphone" is not a misspelt "phone").
    const found = near(word).filter((w) => w[0] === word[0] && (word.length >= 5 || droppedOrSwapped(word, w)));
    // "read" is not a misspelling of "reads": a word the content uses in another form is left alone.
    if (found.some((w) => sameWord(word, w, stem))) return word;
    // Only an unambiguous fix; with two candidates ("form" → "from" or "for"?) the word stays as typed.
    return found.length === 1 ? (found[0] as string) : word;
  };
  // "listed" is "list" in another form, not a misspelt "lasted".
  const knownStems = new Set([...known].map((w) => stem(w)));
  const fix = (word: string): string => {
    if (word.length < CORRECT_MIN_LENGTH || known.has(word) || word.includes("'")) return word;
    if (knownStems.has(stem(word))) return word;
    let out = fixed.get(word);
    if (out === undefined) {
      out = lookUp(word);
      fixed.set(word, out);
    }
    return out;
  };
  return (folded) => folded.replace(WORD, fix);
}

/**
 * Symmetric-delete index: every word (from `minLength` letters) under itself and each of its
 * one-letter deletions, so the words one edit from a typed word are found among a few keys.
 */
function createOneEditIndex(words: Iterable<string>, minLength: number): (word: string) => string[] {
  const byDeletion = new Map<string, string[]>();
  const keysOf = (w: string) => [w, ...Array.from(w, (_, i) => w.slice(0, i) + w.slice(i + 1))];
  for (const w of words) {
    if (w.length < minLength) continue;
    for (const key of new Set(keysOf(w))) byDeletion.set(key, [...(byDeletion.get(key) ?? []), w]);
  }
  return (word) => {
    const found = new Set<string>();
    for (const key of keysOf(word)) for (const w of byDeletion.get(key) ?? []) if (withinOneEdit(word, w)) found.add(w);
    return [...found];
  };
}

function sameWord(a: string, b: string, stem: Stem): boolean {
  return stem(a) === stem(b) || a === `${b}s` || b === `${a}s`;
}

/**
 * A short word is corrected only for a dropped letter ("mony") or two swapped ones ("teh"): one
 * letter changed in a four-letter word is as often another real word ("spam" is not "scam").
 */
function droppedOrSwapped(typed: string, known: string): boolean {
  if (known.length === typed.length + 1) return true;
  if (known.length !== typed.length) return false;
  const diff = Array.from(typed).flatMap((c, i) => (c === known[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === (diff[0] as number) + 1;
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
