import type { Content } from '../content/load.ts';
import type { Entry, Subject } from '../content/schema.ts';
import type { Reply } from '../protocol/reply.ts';
import type { Lang } from '../text/script.ts';
import { type CandidateDeps, type Candidates, candidatesFor } from './candidates.ts';
import type { ReplyComposer } from './compose.ts';
import type { FeatureExtractor } from './features.ts';
import { MAX_QUESTIONS } from './message.ts';
import { closeKin, sameSource, understandingTier } from './ordering.ts';
import type { ParaphraseIndex } from './paraphrase-index.ts';
import type { Part } from './parts.ts';
import { compileBesides } from './phrases.ts';
import { type Candidate, subjectWeights } from './rank.ts';
import type { Reading } from './reading.ts';
import {
  ANSWER_THRESHOLD,
  ASK_BACK_BELOW,
  ASK_BACK_MARGIN,
  FITS_ALL_SIMILARITY,
  FULL_FIT,
  IN_DOMAIN_COVERAGE,
  KIN_SURE,
  OFF_TOPIC_SHARE,
  UNKNOWN_MAX_WORDS,
  UNKNOWN_OVERRIDE,
  UNKNOWN_SHARE,
  YES_THRESHOLD,
} from './thresholds.ts';
import type { AnswerTrace } from './trace.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface RankingDeps {
  content: Content;
  composer: ReplyComposer;
  index: ParaphraseIndex;
  /** The features `index` compares (the content's: see createMatchFold). */
  features: FeatureExtractor;
  vocabulary: Vocabulary;
  /** Each known unknown's cue matcher, by entry id. */
  unknownTriggers: ReadonlyMap<string, (folded: string) => boolean>;
  answerable: (entry: Entry) => boolean;
  /** The matching form of a question (spelling fixed); `plainFold` without the fixes. */
  fold: (text: string) => string;
  plainFold: (text: string) => string;
}

export interface Ranking {
  candidatesFor(part: Part): Candidates;
  answerRanked(part: Part, lang: Lang): AnswerTrace;
  comparedEntries(part: Part): Entry[];
}

/** What ranking computes once per content. */
interface RankingState extends RankingDeps, CandidateDeps {
  subjects: ReadonlyMap<string, Subject>;
  /** The clause of "besides X, …" (X), if any. */
  knownClause: (folded: string) => string | undefined;
}

/** What every trace of a ranked answer but a plain "clarify" carries. */
interface RankedTrace {
  margin: number;
  reading: Reading;
  considered: string[];
}

/**
 * One question answered by ranking the entries: what it asks and about what, against each
 * entry's kinds, subjects and paraphrases; or "the article does not say", or an ask-back when
 * two readings are about equally likely.
 */
export function createRanking(deps: RankingDeps): Ranking {
  const { content, plainFold } = deps;
  const entries = content.knowledge.entries;
  const state: RankingState = {
    ...deps,
    entries,
    subjects: new Map<string, Subject>(content.knowledge.subjects.map((s) => [s.id, s])),
    subjectWeight: subjectWeights(entries),
    defaultSubject: content.knowledge.defaultSubject,
    knownClause: compileBesides(content.language.besides, plainFold),
  };
  return {
    candidatesFor: (part) => candidatesFor(state, part),
    answerRanked: (part, lang) => answerRanked(state, part, lang),
    comparedEntries: (part) => comparedEntries(state, part),
  };
}

function answerRanked(state: RankingState, part: Part, lang: Lang): AnswerTrace {
  const { ranked: candidates, stated } = candidatesFor(state, part);
  const ranked = withoutWhatIsKnown(state, part.folded, candidates);
  const [best, ...rest] = ranked;
  const runnerUp = rest.find((c) => c.entry.id !== best?.entry.id);
  const margin = best ? best.score - (runnerUp?.score ?? 0) : 0;
  const considered = ranked.slice(0, 3).map((c) => `${c.entry.id}=${c.similarity.toFixed(2)}/${c.kindFit}/${c.subjectFit.toFixed(2)}`);
  const traced: RankedTrace = { margin, reading: part.reading, considered };
  if (!stated && best?.entry.kind !== 'unknown') {
    // Asked for something about a subject of the article that the article does not give.
    const subject = namedSubject(state, part);
    if (subject) return { reply: state.composer.notStated(subject, lang), rule: 'not-stated', score: best?.score ?? 0, ...traced };
  }
  if (!best) return answerUnmatched(state, part, lang, traced);
  return answerUnknownWords(state, part, lang, best, traced) ?? answerBest(state, lang, ranked, runnerUp, traced);
}

/**
 * Words the article never uses carry the question ("how old were the suspects?"): the nearest
 * fact would answer something else, so the reply says what the article does say instead.
 */
function answerUnknownWords(state: RankingState, part: Part, lang: Lang, best: Candidate, traced: RankedTrace): AnswerTrace | undefined {
  const unknown = state.vocabulary.unknownShare(part.folded);
  // In a long sentence unknown words are more likely noise around the question than its point.
  const focused = unknown.total <= UNKNOWN_MAX_WORDS;
  // An entry that answers the kind asked, about all it names, in words close to the question's
  // is what was asked: the unknown words are the asker's own ("contribute during the op").
  const fitsAll = best.kindFit > 0 && best.subjectFit >= FULL_FIT && best.similarity >= FITS_ALL_SIMILARITY;
  const applies =
    best.entry.kind !== 'unknown' && focused && unknown.share >= UNKNOWN_SHARE && best.similarity < UNKNOWN_OVERRIDE && !fitsAll;
  if (!applies) return undefined;
  const named = namedSubject(state, part);
  // Mostly words the content never uses, and none of its subjects: another topic altogether.
  if (!named && unknown.share >= OFF_TOPIC_SHARE)
    return { reply: state.composer.guidance('out_of_scope', 'noMatch', lang), rule: 'no-match', score: best.score, ...traced };
  const subject = named ?? defaultSubject(state);
  if (!subject) return undefined;
  return {
    reply: state.composer.notStated(subject, lang),
    rule: 'not-stated',
    score: best.score,
    ...traced,
    considered: [...traced.considered, `unknown:${unknown.words.join(',')}`],
  };
}

/** The best candidate's answer, or "which one?" when a runner-up is about as likely. */
function answerBest(
  state: RankingState,
  lang: Lang,
  ranked: Candidate[],
  runnerUp: Candidate | undefined,
  traced: RankedTrace,
): AnswerTrace {
  const { composer } = state;
  const [best, ...rest] = ranked as [Candidate, ...Candidate[]];
  if (runnerUp && isUnsure(ranked, best, runnerUp, traced.margin)) {
    const options = [best, runnerUp, ...rest.filter((c) => c !== runnerUp && best.score - c.score < ASK_BACK_MARGIN * 2)].slice(0, 3);
    return {
      reply: composer.askBack(
        options.map((c) => c.entry),
        lang,
      ),
      rule: 'ask-back',
      score: best.score,
      ...traced,
    };
  }
  const reply = answerYesNo(state, composer.fromEntry(best.entry, lang), best, traced.reading);
  return { reply, rule: best.similarity >= ANSWER_THRESHOLD ? 'match' : 'structure', score: best.score, ...traced };
}

/** Unsure: a weak best reading with a runner-up about as close. */
function isUnsure(ranked: readonly Candidate[], best: Candidate, runnerUp: Candidate, margin: number): boolean {
  // A runner-up that fits less of what was understood is no rival, however close its score.
  const top = Math.max(0, ...ranked.map((c) => c.similarity));
  const rival = understandingTier(runnerUp, top) >= understandingTier(best, top);
  // Related entries (short and long summary) need no "which one?", unless neither is close to the question.
  const kin = closeKin(best.entry, runnerUp.entry) && (best.similarity >= KIN_SURE || sameSource(best.entry, runnerUp.entry));
  return rival && best.score < ASK_BACK_BELOW && margin < ASK_BACK_MARGIN && !kin;
}

/** Nothing ranked (so no score): a request to say more, what the article says of a subject named, or its limits. */
function answerUnmatched(state: RankingState, part: Part, lang: Lang, traced: RankedTrace): AnswerTrace {
  const { composer } = state;
  const { reading } = traced;
  const score = 0;
  // About a subject of the article, though nothing in it answers: what it does say of that subject
  // (or, when nothing at all is asked — "那些人" —, a request to say what about it).
  if (reading.kinds.size === 0 && reading.subjects.size > 0)
    return { reply: composer.guidance('clarify', 'clarify', lang), rule: 'clarify', score };
  const subject = namedSubject(state, part);
  if (subject) return { reply: composer.notStated(subject, lang), rule: 'not-stated', score, ...traced };
  if (state.index.coverage(state.features(part.folded)) >= IN_DOMAIN_COVERAGE) {
    return { reply: composer.guidance('not_in_article', 'notCovered', lang), rule: 'not-covered', score, ...traced };
  }
  return { reply: composer.guidance('out_of_scope', 'noMatch', lang), rule: 'no-match', score, ...traced };
}

function defaultSubject({ subjects, defaultSubject }: RankingState): Subject | undefined {
  return defaultSubject ? subjects.get(defaultSubject) : undefined;
}

/** The subject named whose "what the article says" entry fits the question best. */
function namedSubject({ subjects, index, features }: RankingState, part: Part): Subject | undefined {
  const named = [...part.reading.subjects].map((id) => subjects.get(id)).filter((s): s is Subject => s !== undefined);
  if (named.length <= 1) return named[0];
  const scores = new Map(index.search(features(part.folded)).map((m) => [m.entry.id, m.score]));
  return named.sort((a, b) => (scores.get(b.about) ?? 0) - (scores.get(a.about) ?? 0))[0];
}

/**
 * "Compare what Cambodia did vs what China did", "各自負責咗啲乜": what the article says of each
 * subject compared, side by side (the article itself and the setting of everything are not compared).
 */
function comparedEntries({ subjects, composer, defaultSubject }: RankingState, part: Part): Entry[] {
  const seen = new Set<string>();
  const out: Entry[] = [];
  for (const id of part.reading.subjects) {
    if (id === 'article' || id === defaultSubject) continue;
    const about = subjects.get(id)?.about;
    const entry = about ? composer.entries.get(about) : undefined;
    if (!entry || seen.has(entry.id)) continue;
    seen.add(entry.id);
    out.push(entry);
  }
  return out.slice(0, MAX_QUESTIONS);
}

/** "除了打電話騙錢，還搞啥別的?": the entry that says what the asker already named is not the answer. */
function withoutWhatIsKnown(state: RankingState, folded: string, ranked: Candidate[]): Candidate[] {
  const clause = state.knownClause(folded);
  if (!clause || ranked.length < 2) return ranked;
  const known = state.index.search(state.features(state.fold(clause)), state.answerable)[0];
  if (!known || known.score < ANSWER_THRESHOLD || ranked[0]?.entry.id !== known.entry.id) return ranked;
  return ranked.slice(1);
}

/** A yes/no question gets its yes (or "not exactly" when it limits what the article says more broadly). */
function answerYesNo({ composer }: RankingState, reply: Reply, best: Candidate, reading: Reading): Reply {
  if (!reading.yesNo || reply.kind !== 'answer' || best.entry.kind === 'premise') return reply;
  if (reading.exclusive) return composer.lead(reply, 'answerNotExactly');
  return best.similarity >= YES_THRESHOLD ? composer.lead(reply, 'answerYes') : reply;
}
