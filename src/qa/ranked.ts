import type { Content } from '../content/load.ts';
import type { Entry, Subject } from '../content/schema.ts';
import type { Reply } from '../protocol/reply.ts';
import type { Lang } from '../text/script.ts';
import type { AnswerTrace } from './answer.ts';
import type { ReplyComposer } from './compose.ts';
import { extractFeatures } from './features.ts';
import type { ParaphraseIndex } from './paraphrase-index.ts';
import { MAX_QUESTIONS } from './message.ts';
import { byKindFirst, closeKin, sameSource, understandingTier } from './ordering.ts';
import type { Part } from './parts.ts';
import { compileBesides } from './phrases.ts';
import { answersStructurally, type Candidate, rankCandidates, subjectFit, subjectWeights } from './rank.ts';
import type { Reading } from './reading.ts';
import {
  ANSWER_THRESHOLD,
  ASK_BACK_BELOW,
  ASK_BACK_MARGIN,
  CUED_UNKNOWN_MIN,
  FITS_ALL_SIMILARITY,
  FULL_FIT,
  IN_DOMAIN_COVERAGE,
  KIN_SURE,
  OFF_TOPIC_SHARE,
  OTHER_KIND_THRESHOLD,
  STATED_MIN_SUBJECT_FIT,
  STRUCTURE_MIN_SIMILARITY,
  STRUCTURE_THRESHOLD,
  UNKNOWN_MAX_WORDS,
  UNKNOWN_OVERRIDE,
  UNKNOWN_SHARE,
  UNKNOWN_TRIGGER_BONUS,
  YES_THRESHOLD,
} from './thresholds.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface RankingDeps {
  content: Content;
  composer: ReplyComposer;
  index: ParaphraseIndex;
  vocabulary: Vocabulary;
  /** Each known unknown's cue matcher, by entry id. */
  unknownTriggers: ReadonlyMap<string, (folded: string) => boolean>;
  answerable: (entry: Entry) => boolean;
  /** The matching form of a question (spelling fixed); `plainFold` without the fixes. */
  fold: (text: string) => string;
  plainFold: (text: string) => string;
}

/**
 * One question answered by ranking the entries: what it asks and about what, against each
 * entry's kinds, subjects and paraphrases; or "the article does not say", or an ask-back when
 * two readings are about equally likely.
 */
export function createRanking({ content, composer, index, vocabulary, unknownTriggers, answerable, fold, plainFold }: RankingDeps) {
  const entries = content.knowledge.entries;
  const subjects = new Map<string, Subject>(content.knowledge.subjects.map((s) => [s.id, s]));
  const subjectWeight = subjectWeights(entries);

  /**
   * Candidates for one question, best first. A known unknown competes when one of its cue
   * phrases is present ("exactly", "which prison"), and then it wins; or when no fact answers
   * the kind of question asked about the subject named ("when were they moved?"). False premises
   * are recognised by their cue phrases only: they look like true questions with one word changed.
   */
  const candidatesFor = (part: Part): { ranked: Candidate[]; stated: boolean; cuedFirst: boolean } => {
    const { folded, reading } = part;
    const features = extractFeatures(folded);
    const cued = new Set([...unknownTriggers].filter(([, hits]) => hits(folded)).map(([id]) => id));
    const subjectsAsked = reading.subjects.size > 0 ? reading.subjects : defaultSubjects();
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
  };

  const defaultSubject = (): Subject | undefined =>
    content.knowledge.defaultSubject ? subjects.get(content.knowledge.defaultSubject) : undefined;

  const defaultSubjects = (): ReadonlySet<string> =>
    content.knowledge.defaultSubject ? new Set([content.knowledge.defaultSubject]) : new Set();

  /** The subject named whose "what the article says" entry fits the question best. */
  const namedSubject = (part: Part): Subject | undefined => {
    const named = [...part.reading.subjects].map((id) => subjects.get(id)).filter((s): s is Subject => s !== undefined);
    if (named.length <= 1) return named[0];
    const features = extractFeatures(part.folded);
    const scores = new Map(index.search(features).map((m) => [m.entry.id, m.score]));
    return named.sort((a, b) => (scores.get(b.about) ?? 0) - (scores.get(a.about) ?? 0))[0];
  };

  // Similarity carries an answer; fitting the kind and the subject asked lifts a weak one, or
  // alone answers a question made only of such words ("what is this article about?").
  // A question with words of its own must also resemble the entry a little ("多大年紀" is not "多少人").
  // An entry about every one of two or more subjects named, answering the kind asked, is read
  // from the structure alone ("抓到的人後來怎麼了": the suspects, afterwards, what happened).
  const acceptable = (c: Candidate, reading: Reading, ownWords = true) =>
    c.kindFit > 0 && c.subjectFit > 0
      ? c.score >= STRUCTURE_THRESHOLD &&
        (!ownWords || c.similarity >= STRUCTURE_MIN_SIMILARITY || (c.subjectFit >= FULL_FIT && reading.subjects.size >= 2))
      : c.similarity >= (c.kindFit < 0 || unrelated(c, reading) ? OTHER_KIND_THRESHOLD : ANSWER_THRESHOLD);
  /** Neither about anything the question names nor answering what it asks: only words in common. */
  const unrelated = (c: Candidate, reading: Reading) =>
    c.subjectFit === 0 && c.kindFit <= 0 && reading.subjects.size > 0 && reading.specific.size + reading.kinds.size > 0;

  const answerRanked = (part: Part, lang: Lang): AnswerTrace => {
    const { ranked: candidates, stated } = candidatesFor(part);
    const ranked = withoutWhatIsKnown(part.folded, candidates);
    const all = ranked;
    const [best, ...rest] = ranked;
    const runnerUp = rest.find((c) => c.entry.id !== best?.entry.id);
    const margin = best ? best.score - (runnerUp?.score ?? 0) : 0;
    const reading = part.reading;
    const considered = all.slice(0, 3).map((c) => `${c.entry.id}=${c.similarity.toFixed(2)}/${c.kindFit}/${c.subjectFit.toFixed(2)}`);
    if (!stated && best?.entry.kind !== 'unknown') {
      // Asked for something about a subject of the article that the article does not give.
      const subject = namedSubject(part);
      if (subject)
        return { reply: composer.notStated(subject, lang), rule: 'not-stated', score: best?.score ?? 0, margin, reading, considered };
    }
    // Words the article never uses carry the question ("how old were the suspects?"): the nearest
    // fact would answer something else, so the reply says what the article does say instead.
    const unknown = vocabulary.unknownShare(part.folded);
    // In a long sentence unknown words are more likely noise around the question than its point.
    const focused = unknown.total <= UNKNOWN_MAX_WORDS;
    // An entry that answers the kind asked, about all it names, in words close to the question's
    // is what was asked: the unknown words are the asker's own ("contribute during the op").
    const fitsAll = best !== undefined && best.kindFit > 0 && best.subjectFit >= FULL_FIT && best.similarity >= FITS_ALL_SIMILARITY;
    if (
      best &&
      best.entry.kind !== 'unknown' &&
      focused &&
      unknown.share >= UNKNOWN_SHARE &&
      best.similarity < UNKNOWN_OVERRIDE &&
      !fitsAll
    ) {
      const named = namedSubject(part);
      // Mostly words the content never uses, and none of its subjects: another topic altogether.
      if (!named && unknown.share >= OFF_TOPIC_SHARE)
        return {
          reply: composer.guidance('out_of_scope', 'noMatch', lang),
          rule: 'no-match',
          score: best.score,
          margin,
          reading,
          considered,
        };
      const subject = named ?? defaultSubject();
      if (subject)
        return {
          reply: composer.notStated(subject, lang),
          rule: 'not-stated',
          score: best.score,
          margin,
          reading,
          considered: [...considered, `unknown:${unknown.words.join(',')}`],
        };
    }
    if (best) {
      // Unsure: a weak best reading with a runner-up about as close.
      // A runner-up that fits less of what was understood is no rival, however close its score.
      const top = Math.max(0, ...ranked.map((c) => c.similarity));
      const rival = runnerUp !== undefined && understandingTier(runnerUp, top) >= understandingTier(best, top);
      // Related entries (short and long summary) need no "which one?", unless neither is close to the question.
      const kin = closeKin(best.entry, runnerUp?.entry) && (best.similarity >= KIN_SURE || sameSource(best.entry, runnerUp?.entry));
      if (runnerUp && rival && best.score < ASK_BACK_BELOW && margin < ASK_BACK_MARGIN && !kin) {
        const options = [best, runnerUp, ...rest.filter((c) => c !== runnerUp && best.score - c.score < ASK_BACK_MARGIN * 2)].slice(0, 3);
        return {
          reply: composer.askBack(
            options.map((c) => c.entry),
            lang,
          ),
          rule: 'ask-back',
          score: best.score,
          margin,
          reading,
          considered,
        };
      }
      const reply = answerYesNo(composer.fromEntry(best.entry, lang), best, reading);
      return { reply, rule: best.similarity >= ANSWER_THRESHOLD ? 'match' : 'structure', score: best.score, margin, reading, considered };
    }
    const score = all[0]?.score ?? 0;
    // About a subject of the article, though nothing in it answers: what it does say of that subject
    // (or, when nothing at all is asked — "那些人" —, a request to say what about it).
    if (reading.kinds.size === 0 && reading.subjects.size > 0)
      return { reply: composer.guidance('clarify', 'clarify', lang), rule: 'clarify', score };
    const subject = namedSubject(part);
    if (subject) return { reply: composer.notStated(subject, lang), rule: 'not-stated', score, margin, reading, considered };
    if (index.coverage(extractFeatures(part.folded)) >= IN_DOMAIN_COVERAGE) {
      return { reply: composer.guidance('not_in_article', 'notCovered', lang), rule: 'not-covered', score, margin, reading, considered };
    }
    return { reply: composer.guidance('out_of_scope', 'noMatch', lang), rule: 'no-match', score, margin, reading, considered };
  };

  /**
   * "Compare what Cambodia did vs what China did", "各自負責咗啲乜": what the article says of each
   * subject compared, side by side (the article itself and the setting of everything are not compared).
   */
  const comparedEntries = (part: Part): Entry[] => {
    const seen = new Set<string>();
    const out: Entry[] = [];
    for (const id of part.reading.subjects) {
      if (id === 'article' || id === content.knowledge.defaultSubject) continue;
      const about = subjects.get(id)?.about;
      const entry = about ? composer.entries.get(about) : undefined;
      if (!entry || seen.has(entry.id)) continue;
      seen.add(entry.id);
      out.push(entry);
    }
    return out.slice(0, MAX_QUESTIONS);
  };

  const knownClause = compileBesides(content.language.besides, plainFold);
  /** "除了打電話騙錢，還搞啥別的?": the entry that says what the asker already named is not the answer. */
  const withoutWhatIsKnown = (folded: string, ranked: Candidate[]): Candidate[] => {
    const clause = knownClause(folded);
    if (!clause || ranked.length < 2) return ranked;
    const known = index.search(extractFeatures(fold(clause)), answerable)[0];
    if (!known || known.score < ANSWER_THRESHOLD || ranked[0]?.entry.id !== known.entry.id) return ranked;
    return ranked.slice(1);
  };

  /** A yes/no question gets its yes (or "not exactly" when it limits what the article says more broadly). */
  const answerYesNo = (reply: Reply, best: Candidate, reading: Reading): Reply => {
    if (!reading.yesNo || reply.kind !== 'answer' || best.entry.kind === 'premise') return reply;
    if (reading.exclusive) return composer.lead(reply, 'answerNotExactly');
    return best.similarity >= YES_THRESHOLD ? composer.lead(reply, 'answerYes') : reply;
  };

  return { candidatesFor, answerRanked, comparedEntries };
}
