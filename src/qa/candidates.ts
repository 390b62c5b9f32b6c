import type { Entry } from '../content/schema.ts';
import type { FeatureExtractor } from './features.ts';
import { byKindFirst } from './ordering.ts';
import type { ParaphraseIndex } from './paraphrase-index.ts';
import type { Part } from './parts.ts';
import { answersStructurally, type Candidate, rankCandidates, subjectFit } from './rank.ts';
import type { Reading } from './reading.ts';
import {
  ANSWER_THRESHOLD,
  CUED_UNKNOWN_MIN,
  FULL_FIT,
  OTHER_KIND_THRESHOLD,
  STATED_MIN_SUBJECT_FIT,
  STRUCTURE_MIN_SIMILARITY,
  STRUCTURE_THRESHOLD,
  UNKNOWN_TRIGGER_BONUS,
} from './thresholds.ts';

export interface CandidateDeps {
  entries: readonly Entry[];
  index: ParaphraseIndex;
  /** The features `index` compares (the content's: see createMatchFold). */
  features: FeatureExtractor;
  /** Each known unknown's cue matcher, by entry id. */
  unknownTriggers: ReadonlyMap<string, (folded: string) => boolean>;
  answerable: (entry: Entry) => boolean;
  /** How much naming each subject counts (see rank.ts). */
  subjectWeight: (subject: string) => number;
  /** The subject of everything, when a question names none (knowledge.yaml's `defaultSubject`). */
  defaultSubject: string | undefined;
}

export interface Candidates {
  /** Best first. */
  ranked: Candidate[];
  /** Whether an entry answers what the question asks specifically (where, when, who…) of its subjects. */
  stated: boolean;
  /** A known unknown came first on its cue. */
  cuedFirst: boolean;
}

/**
 * Candidates for one question, best first. A known unknown competes when one of its cue
 * phrases is present ("exactly", "which prison"), and then it wins; or when no fact answers
 * the kind of question asked about the subject named ("when were they moved?"). False premises
 * are recognised by their cue phrases only: they look like true questions with one word changed.
 */
export function candidatesFor(deps: CandidateDeps, part: Part): Candidates {
  const { entries, index, unknownTriggers, answerable, subjectWeight } = deps;
  const { folded, reading } = part;
  const features = deps.features(folded);
  const cued = new Set([...unknownTriggers].filter(([, hits]) => hits(folded)).map(([id]) => id));
  const subjectsAsked = reading.subjects.size > 0 ? reading.subjects : defaultSubjects(deps);
  const stated =
    reading.specific.size === 0 ||
    entries.some(
      (e) =>
        answerable(e) &&
        answersStructurally(e, reading.specific, subjectsAsked) &&
        subjectFit(e, subjectsAsked, subjectWeight) >= STATED_MIN_SUBJECT_FIT,
    );
  const openUnknown = (e: Entry) => !stated && answersStructurally(e, reading.specific, subjectsAsked);
  const accept = (e: Entry) => answerable(e) || (e.kind === 'unknown' && (cued.has(e.id) || openUnknown(e)));
  const ranked = rankCandidates(index, entries, features, reading, accept, subjectWeight);
  const unknown = ranked.find((c) => cued.has(c.entry.id) && c.similarity >= CUED_UNKNOWN_MIN);
  if (unknown) {
    const rest = byKindFirst(ranked.filter((c) => c !== unknown && acceptable(c, reading, features.size > 0)));
    return { ranked: [{ ...unknown, score: unknown.score + UNKNOWN_TRIGGER_BONUS }, ...rest], stated, cuedFirst: true };
  }
  return { ranked: byKindFirst(ranked.filter((c) => acceptable(c, reading, features.size > 0))), stated, cuedFirst: false };
}

function defaultSubjects({ defaultSubject }: CandidateDeps): ReadonlySet<string> {
  return defaultSubject ? new Set([defaultSubject]) : new Set();
}

// Similarity carries an answer; fitting the kind and the subject asked lifts a weak one, or
// alone answers a question made only of such words ("what is this article about?").
// A question with words of its own must also resemble the entry a little ("多大年紀" is not "多少人").
// An entry about every one of two or more subjects named, answering the kind asked, is read
// from the structure alone ("抓到的人後來怎麼了": the suspects, afterwards, what happened).
function acceptable(c: Candidate, reading: Reading, ownWords = true): boolean {
  return c.kindFit > 0 && c.subjectFit > 0
    ? c.score >= STRUCTURE_THRESHOLD &&
        (!ownWords || c.similarity >= STRUCTURE_MIN_SIMILARITY || (c.subjectFit >= FULL_FIT && reading.subjects.size >= 2))
    : c.similarity >= (c.kindFit < 0 || unrelated(c, reading) ? OTHER_KIND_THRESHOLD : ANSWER_THRESHOLD);
}

/** Neither about anything the question names nor answering what it asks: only words in common. */
function unrelated(c: Candidate, reading: Reading): boolean {
  return c.subjectFit === 0 && c.kindFit <= 0 && reading.subjects.size > 0 && reading.specific.size + reading.kinds.size > 0;
}
