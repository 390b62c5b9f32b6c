import { type LanguageData, type QuestionKind, questionKinds, SPECIFIC_KINDS } from '../content/language-schema.ts';
import type { Subject } from '../content/schema.ts';
import { escapeRegExp } from '../text/regexp.ts';
import { compileTriggers } from './cues.ts';
import { createFeatureExtractor, createStemmer, type FeatureExtractor, type Stem } from './features.ts';

/**
 * What a question asks and about what, read from content data (content/language.yaml for how
 * people ask, the article's `subjects` for what it is about), never from per-question rules.
 */
export interface Reading {
  /** Every kind of question whose cue is present ("where", "how_many", "yes_no", …). */
  kinds: ReadonlySet<QuestionKind>;
  /** The kinds that say exactly what is asked for (where, when, who, how many, why, name). */
  specific: ReadonlySet<QuestionKind>;
  /** The article's subjects the question names. */
  subjects: ReadonlySet<string>;
  /** A question answered by yes or no ("Did…?", "係咪…", "是不是…"). */
  yesNo: boolean;
  /** It limits a claim ("only in Phnom Penh?", "只抓了…"). */
  exclusive: boolean;
}

export interface Reader {
  /** Regional and shorthand usage rewritten to the standard form (on folded text). */
  normalize(folded: string): string;
  /** `folded` already normalized. */
  read(folded: string): Reading;
}

/** The matching form of a text for one content, with how that content stems and weighs what it folds. */
export interface MatchFold {
  (text: string): string;
  /** English stems with the content's demonyms ("chinese" → "china"). */
  readonly stem: Stem;
  /** The features of a text this fold produced, stemmed with `stem`: what the paraphrase index compares. */
  readonly features: FeatureExtractor;
}

/**
 * The matching form of a text for this content: folded (see text/fold.ts), then with regional
 * and shorthand usage in standard form. The paraphrase index and every question use it, and its
 * `features` (the same content's language data), so an index built with it carries them too.
 */
export function createMatchFold(language: LanguageData, fold: (text: string) => string): MatchFold {
  const normalize = compileVariants(language.variants, fold);
  const stem = createStemmer(language.demonyms);
  return Object.assign((text: string) => normalize(fold(text)), { stem, features: createFeatureExtractor(stem) });
}

const WH_START = /^(what|who|whom|whose|when|where|why|how|which)\b/;
const ZH_WH = /什么|怎么|哪|谁|多少|为什么|几/;

/** A clause that starts with a question word asks something of its own, whatever its kind ("what crimes…"). */
export function startsWithQuestionWord(folded: string): boolean {
  return WH_START.test(folded);
}

export function createReader(language: LanguageData, subjects: readonly Subject[], fold: (text: string) => string): Reader {
  const normalize = compileVariants(language.variants, fold);
  const normalizedFold = (text: string) => normalize(fold(text));
  const stem = createStemmer(language.demonyms);
  // Subjects' English terms are compared by stem ("targeting" is the term "targeted"); the cue
  // words of kinds are not ("called" asks a name, "call" does not).
  const stemmedFold = (text: string) => stemLatin(normalizedFold(text), stem);
  const kindsAsked = compileKindCues(language.kinds, normalizedFold);
  const subjectsNamed = compileSubjectTerms(subjects, stemmedFold);
  const unframe = compileRemoval(language.framing, stemmedFold);
  const exclusive = compileTriggers(language.exclusives, normalizedFold);
  const subsumed = Object.entries(language.subsumes) as [QuestionKind, QuestionKind[]][];
  const yesNoStart = new RegExp(`^(?:${language.yesNoStarts.map((w) => escapeRegExp(fold(w))).join('|')})\\b`);
  const alternatives = (words: readonly string[]) => words.map((w) => escapeRegExp(fold(w))).join('|');
  const politeRequest =
    language.politeStarts.length > 0 && language.requests.length > 0
      ? new RegExp(`^(?:${alternatives(language.politeStarts)})\\s+(?:${alternatives(language.requests)})\\b`)
      : undefined;

  // "文章說他們被轉移去哪": about the transfer, not about the article; "what is this article about?" stays about it.
  const subjectsOf = (stemmed: string): Set<string> => {
    const unframed = unframe(stemmed);
    if (unframed === stemmed) return subjectsNamed(stemmed);
    return subjectsNamed(unframed);
  };
  return {
    normalize,
    read(folded) {
      const stemmed = stemLatin(folded, stem);
      const kinds = kindsAsked(folded);
      const english = folded.replace(/\p{Script=Han}+/gu, ' ').trim();
      const han = /\p{Script=Han}/u.test(folded);
      // English: an auxiliary verb first ("did…", "is it…"); Chinese: a yes/no ending without a wh-word.
      const yesNo = han
        ? kinds.has('yes_no') && !ZH_WH.test(folded)
        : yesNoStart.test(english) && !WH_START.test(english) && !politeRequest?.test(english);
      if (!yesNo) kinds.delete('yes_no');
      else kinds.add('yes_no');
      for (const [kind, lesser] of subsumed) if (kinds.has(kind)) for (const k of lesser) kinds.delete(k);
      const specific = new Set([...kinds].filter((k) => SPECIFIC_KINDS.has(k)));
      // "The name of the police chief who led it": who he was in general does not give the name asked for.
      if (specific.has('name')) specific.delete('who');
      return {
        kinds,
        specific,
        subjects: subjectsOf(stemmed),
        yesNo,
        exclusive: exclusive(folded),
      };
    },
  };
}

/** Every phrase of `phrases` taken out of a text (longest first). */
function compileRemoval(phrases: readonly string[], fold: (text: string) => string): (text: string) => string {
  const keys = [...new Set(phrases.map((p) => fold(p).replace(/\s+/g, ' ').trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (keys.length === 0) return (text) => text;
  const pattern = new RegExp(keys.map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(pattern, ' ');
}

/**
 * The subjects a text names. Chinese terms count wherever they occur; English ones are read
 * longest first and without overlap, so "normal people" names the public, not also the
 * suspects ("people"), and "phone scams" names the fraud, not also its methods ("phone").
 */
function compileSubjectTerms(subjects: readonly Subject[], fold: (text: string) => string): (folded: string) => Set<string> {
  const hanCues = subjects.map((s) => ({
    id: s.id,
    hits: compileTriggers(
      s.terms.filter((t) => /\p{Script=Han}/u.test(t)),
      fold,
    ),
  }));
  const latinOwners = new Map<string, string[]>();
  for (const s of subjects)
    for (const term of s.terms) {
      const folded = fold(term).replace(/\s+/g, ' ').trim();
      if (!folded || /\p{Script=Han}/u.test(folded)) continue;
      latinOwners.set(folded, [...(latinOwners.get(folded) ?? []), s.id]);
    }
  const alternatives = [...latinOwners.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const latin = alternatives.length > 0 ? new RegExp(`(?<![a-z0-9])(?:${alternatives.join('|')})(?![a-z0-9])`, 'g') : undefined;
  return (folded) => {
    const named = new Set(hanCues.filter((c) => c.hits(folded)).map((c) => c.id));
    if (latin) for (const [hit] of folded.matchAll(latin)) for (const id of latinOwners.get(hit) ?? []) named.add(id);
    return named;
  };
}

/**
 * The kinds of question a text asks, from their cue phrases read longest first and without
 * overlap: "哪裡的人" asks who, not also where; "how many" asks a number, not also how. A cue
 * ending in "$" counts only at the end of the question ("在哪$": "園區在哪?" asks where,
 * "站在哪個國家的角度" does not).
 */
function compileKindCues(
  cuesByKind: Record<QuestionKind, readonly string[]>,
  fold: (text: string) => string,
): (folded: string) => Set<QuestionKind> {
  const cues = collectKindCues(cuesByKind, fold);
  return (folded) => readKinds(cues, folded);
}

interface KindCue {
  cue: string;
  kind: QuestionKind;
}

/** The cue phrases of every kind, compiled for reading. */
interface KindCues {
  /** Chinese cues without spaces, longest first. */
  han: KindCue[];
  /** English cues by their words joined with one space, with the kinds they ask. */
  latin: Map<string, QuestionKind[]>;
  /** Every first word, first two words, … of an English cue: where a longer cue may still follow. */
  latinPrefixes: Set<string>;
  /** Words in the longest English cue. */
  longestLatin: number;
  /** Cues that count only at the end of the question (written with a final "$"), without spaces. */
  atEnd: KindCue[];
}

function collectKindCues(cuesByKind: Record<QuestionKind, readonly string[]>, fold: (text: string) => string): KindCues {
  const cues: KindCues = { han: [], latin: new Map(), latinPrefixes: new Set(), longestLatin: 1, atEnd: [] };
  const { han, latin, atEnd } = cues;
  for (const kind of questionKinds)
    for (const raw of cuesByKind[kind]) {
      const cue = fold(raw.endsWith('$') ? raw.slice(0, -1) : raw);
      if (!cue) continue;
      if (raw.endsWith('$')) atEnd.push({ cue: cue.replace(/\s+/g, ''), kind });
      else if (/\p{Script=Han}/u.test(cue)) han.push({ cue: cue.replace(/\s+/g, ''), kind });
      else {
        const words = cue.match(LATIN_WORD) ?? [];
        const key = words.join(' ');
        if (!key) continue;
        latin.set(key, [...(latin.get(key) ?? []), kind]);
        cues.longestLatin = Math.max(cues.longestLatin, words.length);
      }
    }
  han.sort((a, b) => b.cue.length - a.cue.length);
  for (const key of latin.keys()) {
    const words = key.split(' ');
    for (let n = 1; n <= words.length; n++) cues.latinPrefixes.add(words.slice(0, n).join(' '));
  }
  return cues;
}

function readKinds(cues: KindCues, folded: string): Set<QuestionKind> {
  const kinds = new Set<QuestionKind>();
  const compact = folded.replace(/\s+/g, '');
  const taken = new Uint8Array(compact.length);
  for (const { cue, kind } of cues.han) {
    for (let at = compact.indexOf(cue); at >= 0; at = compact.indexOf(cue, at + 1)) {
      if (!isFree(taken, at, at + cue.length)) continue;
      taken.fill(1, at, at + cue.length);
      kinds.add(kind);
    }
  }
  readLatinKinds(cues, folded, kinds);
  // A cue at the end counts unless a longer cue already read those characters ("区别在哪" is not "在哪").
  for (const { cue, kind } of cues.atEnd)
    if (compact.endsWith(cue) && isFree(taken, compact.length - cue.length, compact.length)) kinds.add(kind);
  return kinds;
}

/** Whether no cue read yet took a character from `from` to `to`. */
function isFree(taken: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (taken[i] === 1) return false;
  return true;
}

/** English: at each word, the longest cue that starts there. */
function readLatinKinds({ latin, latinPrefixes, longestLatin }: KindCues, folded: string, kinds: Set<QuestionKind>): void {
  const words = folded.match(LATIN_WORD) ?? [];
  for (let i = 0; i < words.length; ) {
    let step = 1;
    let found: QuestionKind[] | undefined;
    let key = '';
    for (let length = 1; length <= longestLatin && i + length <= words.length; length++) {
      key = length === 1 ? (words[i] as string) : `${key} ${words[i + length - 1]}`;
      if (!latinPrefixes.has(key)) break;
      const kindsOfCue = latin.get(key);
      if (kindsOfCue) {
        found = kindsOfCue;
        step = length;
      }
    }
    if (found) for (const kind of found) kinds.add(kind);
    i += step;
  }
}

/** An English word of a cue or a question ("isn't", "u.s" stay whole). */
const LATIN_WORD = /[a-z0-9][a-z0-9'.-]*[a-z0-9]|[a-z0-9]/g;

function stemLatin(text: string, stem: Stem): string {
  return text.replace(/[a-z][a-z']*/g, (word) => stem(word));
}

/** One pass over the text: Chinese variants by substring (longest first), English ones as whole words. */
function compileVariants(variants: LanguageData['variants'], fold: (text: string) => string): (folded: string) => string {
  const map = new Map<string, string>();
  const han: string[] = [];
  const latin: string[] = [];
  for (const [from, to] of variants) {
    const key = fold(from).replace(/\s+/g, '');
    if (!key || map.has(key)) continue;
    map.set(key, fold(to));
    (/\p{Script=Han}/u.test(key) ? han : latin).push(key);
  }
  if (map.size === 0) return (folded) => folded;
  const byLength = (a: string, b: string) => b.length - a.length;
  const parts = [
    ...han.sort(byLength).map(escapeRegExp),
    ...(latin.length > 0 ? [`(?<![a-z0-9'])(?:${latin.sort(byLength).map(escapeRegExp).join('|')})(?![a-z0-9'])`] : []),
  ];
  const pattern = new RegExp(parts.join('|'), 'g');
  return (folded) =>
    folded
      .replace(pattern, (hit) => map.get(hit) ?? hit)
      .replace(/\s+/g, ' ')
      .trim();
}
