import { type LanguageData, type QuestionKind, questionKinds, SPECIFIC_KINDS } from '../content/language-schema.ts';
import type { Subject } from '../content/schema.ts';
import { compileTriggers } from './cues.ts';
import { stemEnglish } from './features.ts';

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

/**
 * The matching form of a text for this content: folded (see text/fold.ts), then with regional
 * and shorthand usage in standard form. The paraphrase index and every question use it.
 */
export function createMatchFold(language: LanguageData, fold: (text: string) => string): (text: string) => string {
  const normalize = compileVariants(language.variants, fold);
  return (text) => normalize(fold(text));
}

const WH_START = /^(what|who|whom|whose|when|where|why|how|which)\b/;
const ZH_WH = /什么|怎么|哪|谁|多少|为什么|几/;

export function createReader(language: LanguageData, subjects: readonly Subject[], fold: (text: string) => string): Reader {
  const normalize = compileVariants(language.variants, fold);
  const normalizedFold = (text: string) => normalize(fold(text));
  // Subjects' English terms are compared by stem ("targeting" is the term "targeted"); the cue
  // words of kinds are not ("called" asks a name, "call" does not).
  const stemmedFold = (text: string) => stemLatin(normalizedFold(text));
  const kindsAsked = compileKindCues(language.kinds, normalizedFold);
  const subjectsNamed = compileSubjectTerms(subjects, stemmedFold);
  const exclusive = compileTriggers(language.exclusives, normalizedFold);
  const subsumed = Object.entries(language.subsumes) as [QuestionKind, QuestionKind[]][];
  const yesNoStart = new RegExp(`^(?:${language.yesNoStarts.map((w) => escapeRegExp(fold(w))).join('|')})\\b`);
  const alternatives = (words: readonly string[]) => words.map((w) => escapeRegExp(fold(w))).join('|');
  const politeRequest =
    language.politeStarts.length > 0 && language.requests.length > 0
      ? new RegExp(`^(?:${alternatives(language.politeStarts)})\\s+(?:${alternatives(language.requests)})\\b`)
      : undefined;

  return {
    normalize,
    read(folded) {
      const stemmed = stemLatin(folded);
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
        subjects: subjectsNamed(stemmed),
        yesNo,
        exclusive: exclusive(folded),
      };
    },
  };
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
  const han: { cue: string; kind: QuestionKind }[] = [];
  const latin: { pattern: RegExp; length: number; kind: QuestionKind }[] = [];
  const atEnd: { cue: string; kind: QuestionKind }[] = [];
  for (const kind of questionKinds)
    for (const raw of cuesByKind[kind]) {
      const cue = fold(raw.endsWith('$') ? raw.slice(0, -1) : raw);
      if (!cue) continue;
      if (raw.endsWith('$')) atEnd.push({ cue: cue.replace(/\s+/g, ''), kind });
      else if (/\p{Script=Han}/u.test(cue)) han.push({ cue: cue.replace(/\s+/g, ''), kind });
      else latin.push({ pattern: new RegExp(`(?<![a-z0-9])${escapeRegExp(cue)}(?![a-z0-9])`, 'g'), length: cue.length, kind });
    }
  han.sort((a, b) => b.cue.length - a.cue.length);
  latin.sort((a, b) => b.length - a.length);
  return (folded) => {
    const kinds = new Set<QuestionKind>();
    const compact = folded.replace(/\s+/g, '');
    const takenHan = new Uint8Array(compact.length);
    for (const { cue, kind } of han) {
      for (let at = compact.indexOf(cue); at >= 0; at = compact.indexOf(cue, at + 1)) {
        if (takenHan.subarray(at, at + cue.length).some((x) => x === 1)) continue;
        takenHan.fill(1, at, at + cue.length);
        kinds.add(kind);
      }
    }
    const takenLatin = new Uint8Array(folded.length);
    for (const { pattern, kind } of latin) {
      for (const m of folded.matchAll(pattern)) {
        const at = m.index ?? 0;
        if (takenLatin.subarray(at, at + m[0].length).some((x) => x === 1)) continue;
        takenLatin.fill(1, at, at + m[0].length);
        kinds.add(kind);
      }
    }
    for (const { cue, kind } of atEnd) if (compact.endsWith(cue)) kinds.add(kind);
    return kinds;
  };
}

function stemLatin(text: string): string {
  return text.replace(/[a-z][a-z']*/g, (word) => stemEnglish(word));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
