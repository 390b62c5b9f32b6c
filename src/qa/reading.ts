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
  const kindCues = questionKinds.map((kind) => ({ kind, hits: compileCues(language.kinds[kind], normalizedFold) }));
  const subjectCues = subjects.map((s) => ({ id: s.id, hits: compileTriggers(s.terms, stemmedFold) }));
  const exclusive = compileTriggers(language.exclusives, normalizedFold);
  const yesNoStart = new RegExp(`^(?:${language.yesNoStarts.map((w) => escapeRegExp(fold(w))).join('|')})\\b`);

  return {
    normalize,
    read(folded) {
      const stemmed = stemLatin(folded);
      const kinds = new Set(kindCues.filter((k) => k.hits(folded)).map((k) => k.kind));
      const english = folded.replace(/\p{Script=Han}+/gu, ' ').trim();
      const han = /\p{Script=Han}/u.test(folded);
      // English: an auxiliary verb first ("did…", "is it…"); Chinese: a yes/no ending without a wh-word.
      const yesNo = han ? kinds.has('yes_no') && !ZH_WH.test(folded) : yesNoStart.test(english) && !WH_START.test(english);
      if (!yesNo) kinds.delete('yes_no');
      else kinds.add('yes_no');
      const specific = new Set([...kinds].filter((k) => SPECIFIC_KINDS.has(k)));
      // "The name of the police chief who led it": who he was in general does not give the name asked for.
      if (specific.has('name')) specific.delete('who');
      return {
        kinds,
        specific,
        subjects: new Set(subjectCues.filter((s) => s.hits(stemmed)).map((s) => s.id)),
        yesNo,
        exclusive: exclusive(folded),
      };
    },
  };
}

/**
 * Cue phrases; one ending in "$" counts only at the end of the question ("在哪$": "園區在哪?"
 * asks where, "站在哪個國家的角度" does not).
 */
function compileCues(cues: readonly string[], fold: (text: string) => string): (folded: string) => boolean {
  const anywhere = compileTriggers(
    cues.filter((c) => !c.endsWith('$')),
    fold,
  );
  const atEnd = cues
    .filter((c) => c.endsWith('$'))
    .map((c) => fold(c.slice(0, -1)).replace(/\s+/g, ''))
    .filter((c) => c.length > 0);
  return (folded) => anywhere(folded) || (atEnd.length > 0 && atEnd.some((c) => folded.replace(/\s+/g, '').endsWith(c)));
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
