import { type QuestionKind, SPECIFIC_KINDS } from '../content/language-schema.ts';
import type { Entry } from '../content/schema.ts';
import type { Features } from './features.ts';
import type { ParaphraseIndex } from './paraphrase-index.ts';
import type { Reading } from './reading.ts';

/** How much each general kind says about what is asked ("summary" more than "what is"). */
const GENERAL_KIND_WEIGHT: Partial<Record<QuestionKind, number>> = {
  summary: 0.8,
  compare: 0.8,
  // How to answer more than what: it barely says which entry.
  explain: 0.2,
  what_happened: 0.6,
  how: 0.6,
  what_is: 0.3,
  // "What is Cambodia's attitude?" asks for what the article says of its resolve, not what it did.
  stance: 0.8,
  // "What does it recommend?": the recommendations, whatever else the question names.
  advice: 0.8,
};
/** Weight of "the entry answers this kind of question" against paraphrase similarity. */
const KIND_WEIGHT = 0.15;
/** Weight of "the entry is about what the question names". */
const SUBJECT_WEIGHT = 0.25;
/** …in a yes/no question that asks no other kind. */
const YES_NO_SUBJECT_WEIGHT = 0.4;

export interface Candidate {
  entry: Entry;
  /** Paraphrase similarity alone, 0…1. */
  similarity: number;
  /** -1 (answers another kind of question), 0 (says nothing), up to 1 (answers this kind). */
  kindFit: number;
  /** 0…1: overlap of the entry's subjects with the question's. */
  subjectFit: number;
  /** What candidates are ranked by. */
  score: number;
}

/** Whether an entry answers one of the kinds asked, about one of the subjects named. */
export function answersStructurally(entry: Entry, kinds: ReadonlySet<QuestionKind>, subjects: ReadonlySet<string>): boolean {
  if (!entry.asks.some((k) => kinds.has(k))) return false;
  return subjects.size === 0 || entry.subjects.some((s) => subjects.has(s));
}

export function kindFit(entry: Entry, reading: Reading): number {
  if (entry.asks.length === 0) return 0;
  if (reading.specific.size > 0) return entry.asks.some((k) => reading.specific.has(k)) ? 1 : -1;
  let best = 0;
  for (const k of entry.asks) if (reading.kinds.has(k)) best = Math.max(best, GENERAL_KIND_WEIGHT[k] ?? 0);
  // "What is a scam compound?" is not answered by where the compounds are.
  const general = [...reading.kinds].some((k) => k in GENERAL_KIND_WEIGHT);
  if (best === 0 && general && entry.asks.every((k) => SPECIFIC_KINDS.has(k))) return -0.5;
  return best;
}

/**
 * How much of what the question names the entry is about, each subject weighted by how rare it
 * is among entries: "the operation" is the setting of almost every fact, "the working group" of few.
 */
export function subjectFit(entry: Entry, subjects: ReadonlySet<string>, weight: (subject: string) => number): number {
  if (subjects.size === 0 || entry.subjects.length === 0) return 0;
  let asked = 0;
  let shared = 0;
  for (const s of subjects) {
    asked += weight(s);
    if (entry.subjects.includes(s)) shared += weight(s);
  }
  return asked === 0 ? 0 : shared / asked;
}

/** Inverse entry frequency of each subject (log scale), for subjectFit. */
export function subjectWeights(entries: readonly Entry[]): (subject: string) => number {
  const df = new Map<string, number>();
  for (const e of entries) for (const s of e.subjects) df.set(s, (df.get(s) ?? 0) + 1);
  const n = entries.filter((e) => e.subjects.length > 0).length;
  return (subject) => Math.log(1 + n / (df.get(subject) ?? 1));
}

/**
 * Every accepted entry scored by paraphrase similarity plus how well it fits the reading: the
 * kind of question it answers and what it is about. Best first.
 */
export function rankCandidates(
  index: ParaphraseIndex,
  entries: readonly Entry[],
  features: Features,
  reading: Reading,
  accept: (entry: Entry) => boolean,
  weight: (subject: string) => number,
): Candidate[] {
  const similarity = new Map(index.search(features, accept).map((m) => [m.entry.id, m.score]));
  // A bare yes/no question ("中國警方有冇參與?") has no kind to go on: what it is about counts for more.
  const bareYesNo = reading.yesNo && reading.kinds.size === 1;
  const subjectWeight = bareYesNo ? YES_NO_SUBJECT_WEIGHT : SUBJECT_WEIGHT;
  const out: Candidate[] = [];
  for (const entry of entries) {
    if (!accept(entry)) continue;
    const sim = similarity.get(entry.id) ?? 0;
    const k = kindFit(entry, reading);
    const s = subjectFit(entry, reading.subjects, weight);
    if (sim === 0 && (k <= 0 || s === 0)) continue;
    out.push({ entry, similarity: sim, kindFit: k, subjectFit: s, score: sim + KIND_WEIGHT * k + subjectWeight * s });
  }
  return out.sort((a, b) => b.score - a.score);
}
