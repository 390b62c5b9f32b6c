import { LRUCache } from 'lru-cache';
import type { Content } from '../content/load.ts';
import type { Entry, Subject } from '../content/schema.ts';
import type { Reply } from '../core/types.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { foldForMatch } from '../text/fold.ts';
import { hasNoWords } from '../text/normalize.ts';
import type { Lang } from '../text/script.ts';
import type { ReplyComposer } from './compose.ts';
import {
  compileNumberCue,
  compileTriggers,
  countsAdviceOrdinals,
  findAdviceCount,
  findFollowUp,
  findOrdinal,
  findOrdinals,
  findThingsCount,
  isBareOrdinal,
  refersToTwo,
} from './cues.ts';
import { extractFeatures } from './features.ts';
import { type IndexSnapshot, ParaphraseIndex } from './index.ts';
import { type FocusedMessage, focusMessage, MAX_QUESTIONS, stripMarkup } from './message.ts';
import { byKindFirst, closeKin, sameSource, understandingTier } from './ordering.ts';
import { compileBesides, compileJoiners, compileStarts } from './phrases.ts';
import { answersStructurally, type Candidate, rankCandidates, subjectFit, subjectWeights } from './rank.ts';
import { createMatchFold, createReader, type Reading, startsWithQuestionWord } from './reading.ts';
import { compileVagueCheck } from './vague.ts';
import { contentTexts, createVocabulary, spellingTexts } from './vocabulary.ts';

const MEMO_ENTRIES = 2000;

/**
 * An entry answers the kind asked about what the question names only when it is about at least this much
 * of it (weighted by rarity): "how many people were in the working group" is not the arrest count.
 */
const STATED_MIN_SUBJECT_FIT = 0.3;
/** A candidate at or above this score is answered; below it the question is not recognised. */
export const ANSWER_THRESHOLD = 0.3;
/**
 * …and an entry that answers another kind of question than the one asked ("哪裡" asked, advice
 * given), or is about none of what it names and answers none of what it asks, must be this close.
 */
const OTHER_KIND_THRESHOLD = 0.45;
/** A candidate that fits both the kind of question and its subject is answered from this score. */
const STRUCTURE_THRESHOLD = 0.18;
/** …and, when the question has words of its own, resembles it at least this much. */
const STRUCTURE_MIN_SIMILARITY = 0.15;
/** Similarity at which an entry answering the kind asked, about all the question names, outweighs unknown words. */
const FITS_ALL_SIMILARITY = 0.6;
/** Subject fit of an entry about everything the question names. */
const FULL_FIT = 0.999;
/** A match this close is answered even when the message also carries instructions. */
const CONFIDENT_THRESHOLD = 0.55;
/** Below this score, a runner-up closer than ASK_BACK_MARGIN makes the bot ask which was meant. */
const ASK_BACK_BELOW = 0.6;
const ASK_BACK_MARGIN = 0.06;
/** Below this similarity even related entries are asked back between. */
const KIN_SURE = 0.45;

/** Added to an `unknown` entry whose cue phrase is present ("exactly", "which prison"). */
const UNKNOWN_TRIGGER_BONUS = 0.3;
/** A cued unknown needs at least this similarity of its own to take the answer. */
const CUED_UNKNOWN_MIN = 0.12;
/** Share of the question's weight on words the content knows, above which it is "about the article". */
const IN_DOMAIN_COVERAGE = 0.7;
/** A question this much made of words the content never uses asks about something the article does not mention… */
const UNKNOWN_SHARE = 0.34;
/** …and, naming none of the article's subjects, this much: about another topic altogether. */
const OFF_TOPIC_SHARE = 0.5;
/** …when it is a short question, of at most this many words (Chinese: characters)… */
const UNKNOWN_MAX_WORDS = 16;
/** …unless it is this close to a known paraphrase anyway. */
const UNKNOWN_OVERRIDE = 0.85;
/** Messages up to this long are searched whole for injection and premise cues; longer ones in their questions. */
const INSTRUCTION_SCAN_CHARS = 4000;
/** A question wrapped in a false premise is answered too from this similarity. */
const WRAPPED_MIN = 0.45;
/** A "yes" needs a match this close: the article must plainly say what was asked. */
const YES_THRESHOLD = 0.8;

export interface AnswerInput {
  /** Cleaned text (see text/normalize.ts). */
  text: string;
  lang: Lang;
  /** The entry answered in the previous turn of this chat, for follow-ups. */
  previousEntryId?: string;
}

export type AnswerRule =
  | 'clarify'
  | 'injection'
  | 'premise'
  | 'offtopic'
  | 'ordinal'
  | 'follow-up'
  | 'compare'
  | 'match'
  | 'structure'
  | 'not-stated'
  | 'ask-back'
  | 'not-covered'
  | 'no-match'
  | 'parts';

export interface AnswerTrace {
  reply: Reply;
  /** Which rule decided, the best score and its margin over the runner-up: for the eval and the LLM router. */
  rule: AnswerRule;
  score: number;
  margin?: number;
  /** What was understood of the (last) question: for the LLM router and the eval. */
  reading?: Reading;
  /** The question found in the message (its question sentences), for the LLM. */
  question?: string;
  /** The best candidates considered, for the eval's failure report. */
  considered?: string[];
}

export interface Answerer {
  answer(input: AnswerInput): AnswerTrace;
  /** The same without the memo of recent answers (for measuring the matcher itself). */
  answerFresh(input: AnswerInput): AnswerTrace;
  /** The words of a message that ask (its question sentences, no injected instructions or markup): what its language is read from. */
  questionOf(text: string): string;
  /** Known questions for what a user is typing (autocomplete), best first, in their language. */
  suggest(partial: string, lang: Lang, limit: number): string[];
}

interface Part {
  text: string;
  folded: string;
  reading: Reading;
  /** The whole message, folded, and the recommendations it names anywhere ("我们组分到第二条和第三条"). */
  message: string;
  messageOrdinals: number[];
  messageNamesAdvice: boolean;
  /** The sentence it came from ends in a question mark. */
  marked?: boolean;
}

/** `indexed`: the paraphrase index of exactly this content, when start-up has it cached. */
export function createAnswerer(content: Content, convert: ScriptConverter, composer: ReplyComposer, indexed?: IndexSnapshot): Answerer {
  const plainFold = (text: string) => foldForMatch(text, convert);
  const contentFold = createMatchFold(content.language, plainFold);
  const reader = createReader(content.language, content.knowledge.subjects, plainFold);
  // One message is read in pieces several times over (sentences, clauses, halves): each once.
  // Cleared for every message, so the figures in the benchmark are those of a new question.
  const readings = new Map<string, Reading>();
  const read = (folded: string): Reading => {
    const known = readings.get(folded);
    if (known) return known;
    const reading = reader.read(folded);
    readings.set(folded, reading);
    return reading;
  };
  const entries = content.knowledge.entries;
  const subjects = new Map<string, Subject>(content.knowledge.subjects.map((s) => [s.id, s]));
  const index = indexed ? ParaphraseIndex.restore(entries, indexed) : ParaphraseIndex.build(entries, contentFold);
  const subjectWeight = subjectWeights(entries);
  const vocabulary = createVocabulary(contentTexts(content), contentFold, spellingTexts(content), content.language.functionWords);
  // What users type is also spell-checked against the content's own words.
  const fold = (text: string) => vocabulary.correct(contentFold(text));
  const triggered = (kind: Entry['kind']) =>
    entries
      .filter((e) => e.kind === kind && (e.triggers.length > 0 || e.numberCue || e.triggersTogether.length > 0))
      // The narrower cue first: "trained in Vietnam" is about the training before it is about Vietnam.
      .sort((a, b) => Number(b.triggersTogether.length > 0) - Number(a.triggersTogether.length > 0))
      .map((e) => {
        const phrase = compileTriggers(e.triggers, fold);
        const figure = e.numberCue ? compileNumberCue(e.numberCue, fold) : () => false;
        const groups = e.triggersTogether.map((group) => compileTriggers(group, fold));
        const together = (folded: string) => groups.length > 0 && groups.every((hits) => hits(folded));
        return { entry: e, hits: (folded: string) => phrase(folded) || figure(folded) || together(folded) };
      });
  const injections = triggered('injection');
  const premises = triggered('premise');
  const offtopics = triggered('offtopic');
  const isOfftopic = (folded: string) => offtopics.some(({ hits }) => hits(folded));
  const unknownTriggers = new Map(triggered('unknown').map(({ entry, hits }) => [entry.id, hits]));
  const recommendationCount = composer.recommendations.length;
  const instructionLines = content.language.instructionLines.map((source) => new RegExp(source, 'iu'));
  const joiners = compileJoiners(content.language.joiners, fold, MAX_QUESTIONS);
  // "比较一下" after a question asks nothing of its own either.
  const isVague = compileVagueCheck(
    [...content.language.casual, ...content.language.vague, ...content.language.requests, 'for me', 'for us', '给我', '一下'],
    fold,
    vocabulary.knows,
  );
  const boilerplateLines = content.language.boilerplateLines.map((source) => new RegExp(source, 'iu'));
  const requestStart = compileStarts(content.language.requests, content.language.politeStarts, fold);
  const focusRules = {
    isInstructionLine: (line: string) => instructionLines.some((re) => re.test(line)),
    isBoilerplateLine: (line: string) => boilerplateLines.some((re) => re.test(line)),
    asks: (sentence: string) => read(fold(sentence)).kinds.size > 0,
    requests: (sentence: string) => requestStart(fold(sentence)),
    onlyManner: (sentence: string) => {
      const r = read(fold(sentence));
      return r.subjects.size === 0 && r.kinds.has('explain') && [...r.kinds].every((k) => k === 'explain' || k === 'yes_no');
    },
  };
  const answerable = (e: Entry) => e.kind === 'fact' || e.kind === 'recommendation';

  const recommendation = (n: number, lang: Lang): AnswerTrace => {
    const entry = composer.recommendations.find((r) => r.n === n);
    if (entry) return { reply: composer.fromEntry(entry, lang), rule: 'ordinal', score: 1 };
    const list = composer.adviceList(lang);
    const reply = composer.notice(
      { ...list, kind: 'not_in_article' },
      composer.ui('adviceOutOfRange', lang, { count: recommendationCount }),
    );
    return { reply, rule: 'ordinal', score: 1 };
  };

  const isAdviceContext = (id: string | undefined) =>
    id === 'advice.list' || (id !== undefined && composer.entries.get(id)?.kind === 'recommendation');

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

  /**
   * The real question a false premise wraps, answered on its own, when the part asks something
   * (not only "is it true?") that an entry other than the correction answers confidently.
   */
  const wrappedQuestion = (part: Part, premise: Entry, lang: Lang): Reply | undefined => {
    const kinds = [...part.reading.kinds].filter((k) => k !== 'yes_no');
    if (kinds.length === 0 || part.reading.yesNo) return undefined;
    const best = candidatesFor(part).ranked[0];
    if (!best || best.similarity < WRAPPED_MIN || best.entry.kind !== 'fact') return undefined;
    const corrected = new Set(premise.citations.map((c) => c.block));
    if (best.entry.citations.every((c) => corrected.has(c.block))) return undefined;
    return composer.fromEntry(best.entry, lang);
  };

  /** One question, after the checks that apply to the whole message. */
  const answerPart = (part: Part, lang: Lang, previousEntryId: string | undefined): AnswerTrace => {
    const { folded } = part;
    for (const [rule, list] of [
      ['offtopic', offtopics],
      ['premise', premises],
    ] as const) {
      // Off-topic before premise: "美國大選" is about an election, not a claim that the US helped.
      const hit = list.find(({ hits }) => hits(folded));
      if (!hit) continue;
      const stated = composer.fromEntry(hit.entry, lang);
      // "Did the FBI help?": the article has nothing on it, and the reply's kind says so.
      const correction = hit.entry.notMentioned && part.reading.yesNo ? { ...stated, kind: 'not_in_article' as const } : stated;
      // "有冇越南人?": a yes/no about something the article leaves open, around a place it does not report on.
      const openId = hit.entry.alsoOpen && part.reading.yesNo ? [...unknownTriggers].find(([, hits]) => hits(folded))?.[0] : undefined;
      const open = openId ? composer.entries.get(openId) : undefined;
      if (open)
        return { reply: composer.combine([correction, composer.fromEntry(open, lang)], lang), rule, score: 1, reading: part.reading };
      const wrapped = rule === 'premise' ? wrappedQuestion(part, hit.entry, lang) : undefined;
      // "Since they were trained in Vietnam, where were they trained?": correct it, and answer it.
      const reply = wrapped ? composer.combine([correction, wrapped], lang) : correction;
      return { reply, rule, score: 1, reading: part.reading };
    }
    let ordinals = findOrdinals(folded);
    // "我们组分到第二条和第三条……对比一下这两条": the two were named before the question.
    if (ordinals.length < 2 && part.messageOrdinals.length >= 2 && (refersToTwo(folded) || part.reading.kinds.has('compare')))
      ordinals = part.messageOrdinals;
    const namesAdvice = part.reading.kinds.has('advice') || part.messageNamesAdvice || isAdviceContext(previousEntryId);
    if (ordinals.length >= 2 && (namesAdvice || countsAdviceOrdinals(folded) >= 2)) {
      const parts = ordinals.slice(0, MAX_QUESTIONS).map((n) => recommendation(n, lang).reply);
      return { reply: composer.combine(parts, lang), rule: 'ordinal', score: 1, reading: part.reading };
    }
    const ordinal = findOrdinal(folded);
    if (ordinal && (ordinal.namesAdvice || (isAdviceContext(previousEntryId) && isBareOrdinal(folded)))) {
      return recommendation(ordinal.last ? recommendationCount : ordinal.n, lang);
    }
    // "文章的四條建議是什麼?" counts the recommendations: the list (with a correction when the count is wrong).
    const count = findAdviceCount(folded) ?? (part.reading.kinds.has('advice') ? findThingsCount(folded) : undefined);
    if (count !== undefined) {
      const list = composer.adviceList(lang);
      if (count <= recommendationCount) return { reply: list, rule: 'ordinal', score: 1 };
      const notice = composer.ui('adviceOutOfRange', lang, { count: recommendationCount });
      return { reply: composer.notice({ ...list, kind: 'not_in_article' }, notice), rule: 'ordinal', score: 1 };
    }
    const followUp = findFollowUp(folded);
    if (followUp) {
      const previous = previousEntryId ? composer.entries.get(previousEntryId) : undefined;
      if (!previous) return { reply: composer.guidance('clarify', 'followUpWithoutContext', lang), rule: 'follow-up', score: 0 };
      const targetId = followUp === 'why' ? (previous.why ?? previous.more) : (previous.more ?? previous.why);
      const target = (targetId && composer.entries.get(targetId)) || composer.entries.get(previous.related[0] ?? '') || previous;
      return { reply: composer.fromEntry(target, lang), rule: 'follow-up', score: 1 };
    }
    if (isVague(folded)) return { reply: composer.guidance('clarify', 'clarify', lang), rule: 'clarify', score: 0, reading: part.reading };
    // Compared side by side only when nothing narrower is asked ("which was the biggest, and how did it compare").
    const narrower = part.reading.specific.size > 0 || [...unknownTriggers.values()].some((hits) => hits(part.message));
    const compared = part.reading.kinds.has('compare') && !narrower ? comparedEntries(part) : [];
    if (compared.length >= 2) {
      const reply = composer.combine(
        compared.map((e) => composer.fromEntry(e, lang)),
        lang,
      );
      return { reply, rule: 'compare', score: 1, reading: part.reading };
    }
    return answerRanked(part, lang);
  };

  /** "whats the headline, summarize it in one line": a comma between two asking clauses separates two questions. */
  const splitAtCommas = (line: string): string[] => {
    const clauses = line.split(/[,，;；]\s*/).filter((c) => c.trim().length > 0);
    if (clauses.length < 2) return [line];
    // A clause that asks something of its own: not a tag ("是吗", "right?") or a manner ("explain like I'm 10").
    const asks = (t: string) => {
      const folded = fold(t);
      const asksOwn = [...read(folded).kinds].some((k) => k !== 'yes_no' && k !== 'explain') || startsWithQuestionWord(folded);
      return !isVague(folded) && (asksOwn || isOfftopic(folded));
    };
    const out: string[] = [clauses[0] as string];
    for (const clause of clauses.slice(1)) {
      const last = out[out.length - 1] as string;
      if (asks(last) && asks(clause)) out.push(clause);
      else out[out.length - 1] = `${last}, ${clause}`;
    }
    return out;
  };

  /** Whether the question is worded like one the entry answers (then what that entry says covers it). */
  const resembles = (part: Part | undefined, entryId: string) =>
    part !== undefined && (index.search(extractFeatures(part.folded)).find((m) => m.entry.id === entryId)?.score ?? 0) >= ANSWER_THRESHOLD;

  /** The questions of a message: its question sentences, and two questions joined in one ("who wrote it, and when?"). */
  const partsOf = (text: string, message: string): Part[] => {
    const parts: Part[] = [];
    const messageOrdinals = findOrdinals(message);
    const messageNamesAdvice = read(message).kinds.has('advice');
    for (const line of text.split('\n').flatMap(splitAtCommas)) {
      const folded = fold(line);
      const marked = /[?？]\s*$/.test(line);
      if (!folded) continue;
      // "what do recommendation 2 and recommendation 3 have in common": one comparison, not two questions.
      // A side about another topic ("what will the weather be…, and how many…") is a question of its own.
      const asksSomething = (t: string) => read(t).kinds.size > 0 || startsWithQuestionWord(t) || isOfftopic(t);
      const pieces = findOrdinals(folded).length >= 2 ? [folded] : joiners(folded, asksSomething);
      for (const piece of pieces) {
        const reading = read(piece);
        const before = parts.at(-1);
        // "…, and when?" asks about what the question before it named.
        const inherited = reading.subjects.size === 0 && before ? { ...reading, subjects: before.reading.subjects } : reading;
        parts.push({ text: piece, folded: piece, reading: inherited, message, messageOrdinals, messageNamesAdvice, marked });
      }
    }
    return parts.slice(-MAX_QUESTIONS);
  };

  // Answers are a pure function of (text, language, previous entry): popular questions repeat,
  // so recent ones are remembered. Replies are never mutated after they leave here.
  const memo = new LRUCache<string, AnswerTrace>({ max: MEMO_ENTRIES });

  return {
    answer(input) {
      const key = `${input.lang}\u0000${input.previousEntryId ?? ''}\u0000${input.text}`;
      const known = memo.get(key);
      if (known) return known;
      const trace = answerUncached(input);
      memo.set(key, trace);
      return trace;
    },
    answerFresh: (input) => answerUncached(input),
    questionOf: (text) => stripMarkup(focusMessage(text, focusRules).text).trim(),
    suggest(partial, lang, limit) {
      const folded = fold(partial);
      const ranked = folded ? index.search(extractFeatures(folded), answerable).map((m) => m.entry) : entries.filter(answerable);
      // Questions containing what was typed come first, then the closest matches.
      const byText = folded ? entries.filter((e) => answerable(e) && e.questions[lang].some((q) => fold(q).includes(folded))) : [];
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
    },
  };

  function answerUncached({ text, lang, previousEntryId }: AnswerInput): AnswerTrace {
    readings.clear();
    if (text.length === 0 || (text.length < 8 && Array.from(text.replace(/\s/g, '')).length <= 1) || hasNoWords(text)) {
      return { reply: composer.guidance('clarify', 'clarify', lang), rule: 'clarify', score: 0 };
    }
    const focused = focusMessage(text, focusRules);
    // Instructions are looked for in the whole message (bounded), not only in its questions.
    const scanned = text.length <= INSTRUCTION_SCAN_CHARS ? fold(stripMarkup(text)) : undefined;
    return { ...decide(focused, scanned, lang, previousEntryId), question: focused.text };
  }

  function decide(focused: FocusedMessage, scanned: string | undefined, lang: Lang, previousEntryId: string | undefined): AnswerTrace {
    const whole = fold(stripMarkup(focused.text));
    if (!whole) return { reply: composer.guidance('clarify', 'clarify', lang), rule: 'clarify', score: 0 };
    const parts = partsOf(focused.text, scanned ?? whole);

    const injection = injections.find(({ hits }) => hits(whole) || (scanned !== undefined && hits(scanned)));
    if (injection || focused.instructions) {
      // Instructions are only text here. A false claim inside is corrected; a clear question
      // gets the article's truth (or its limit: "make up a name for the gang leader" → the
      // article names no one); anything else is declined.
      const premise = premises.find(({ hits }) => hits(whole) || (scanned !== undefined && hits(scanned)));
      if (premise) return { reply: composer.fromEntry(premise.entry, lang), rule: 'premise', score: 1 };
      const real = parts.filter((p) => !injections.some(({ hits }) => hits(p.folded)) || p.reading.specific.size > 0);
      const answered = real
        .map((p) => ({ ...answerPart(p, lang, previousEntryId), asked: p.marked === true }))
        // A known limit of the article ("make up a name for the gang leader" → it names no one) or a confident answer.
        .filter(
          (t) =>
            (t.rule === 'match' && t.reply.kind === 'not_in_article') ||
            // "…What's the name of the police chief?": a real question whose answer the article does not give.
            (t.rule === 'not-stated' && t.asked && (t.reading?.specific.size ?? 0) > 0 && (t.reading?.subjects.size ?? 0) > 0) ||
            (t.reply.kind === 'answer' && t.score >= CONFIDENT_THRESHOLD),
        );
      if (answered.length > 0) {
        const reply =
          answered.length === 1
            ? (answered[0] as AnswerTrace).reply
            : composer.combine(
                answered.map((t) => t.reply),
                lang,
              );
        return { reply: composer.notice(reply, composer.ui('instructionsIgnored', lang)), rule: 'match', score: answered[0]?.score ?? 0 };
      }
      return {
        reply: composer.fromEntry(injection?.entry ?? (injections[0] as { entry: Entry }).entry, lang),
        rule: 'injection',
        score: 1,
      };
    }
    const asked =
      parts.length > 0
        ? parts
        : [{ text: whole, folded: whole, reading: read(whole), message: whole, messageOrdinals: [], messageNamesAdvice: false }];
    const traces = asked.map((p) => answerPart(p, lang, previousEntryId));
    const partOf = new Map(traces.map((t, i) => [t, asked[i] as Part]));
    // A false claim outside the question ("They were all released. Where are they now?") is corrected first.
    // "…outside Bangkok, and Thai police picked up around fifty": each false claim is corrected.
    const claims = scanned === undefined ? [] : premises.filter(({ hits }) => hits(scanned)).slice(0, MAX_QUESTIONS);
    const corrected = new Set(traces.map((t) => t.reply.entryId));
    if (!traces.some((t) => t.rule === 'offtopic')) {
      for (const claim of claims.reverse()) {
        // A claim inside a question part was corrected there.
        const inPart = asked.some((p) => claim.hits(p.folded));
        if (!inPart && !corrected.has(claim.entry.id))
          traces.unshift({ reply: composer.fromEntry(claim.entry, lang), rule: 'premise', score: 1 });
      }
    }
    // "…and Thai police picked up fifty. Am I remembering this right?": the corrections answer it.
    const checksClaims = (t: AnswerTrace) =>
      t.rule === 'not-stated' && (t.reading?.subjects.size ?? 0) === 0 && (t.reading?.specific.size ?? 0) === 0;
    if (traces.some((t) => t.rule === 'premise') && traces.some(checksClaims)) {
      const kept = traces.filter((t) => !checksClaims(t));
      traces.splice(0, traces.length, ...kept);
    }
    if (traces.length === 1) return traces[0] as AnswerTrace;
    // "金边这周天气怎么样？会下雨吗？": a topic of its own, and nothing of the article asked around it.
    const offtopic = traces.find((t) => t.rule === 'offtopic');
    if (offtopic && !traces.some((t) => t.reply.kind === 'answer')) return offtopic;
    // The same answer twice is said once; a part that asks nothing adds nothing.
    const seen = new Set<string>();
    const useful = traces.flatMap((t): AnswerTrace[] => {
      // Generic guidance (examples to ask) would drown the parts that were answered.
      if (t.reply.kind === 'clarify' || t.reply.kind === 'out_of_scope' || t.rule === 'not-covered') return [];
      const key = t.reply.entryId ?? `${t.rule}:${t.reply.kind}`;
      if (!seen.has(key)) {
        seen.add(key);
        return [t];
      }
      // "Who led it? List their names.": the names (a kind of answer the facts given do not hold)
      // are not in the article, and that is said, not dropped.
      const askedElse = [...(t.reading?.specific ?? [])].some((k) => !composer.entries.get(key)?.asks.includes(k));
      const subject =
        t.rule === 'not-stated' && askedElse && !resembles(partOf.get(t), key)
          ? content.knowledge.subjects.find((s) => s.about === t.reply.entryId)
          : undefined;
      return subject ? [{ ...t, reply: composer.notStatedBeyond(subject, lang) }] : [];
    });
    if (useful.length === 0) return traces.at(-1) as AnswerTrace;
    // "What's the weather there, and how many were arrested?": the other topic is said to be left out.
    const leftOut = (trace: AnswerTrace): AnswerTrace =>
      offtopic ? { ...trace, reply: composer.notice(trace.reply, composer.ui('partOffTopic', lang)) } : trace;
    if (useful.length === 1) return leftOut(useful[0] as AnswerTrace);
    const score = Math.min(...useful.map((t) => t.score));
    return leftOut({
      reply: composer.combine(
        useful.map((t) => t.reply),
        lang,
      ),
      rule: 'parts',
      score,
      reading: useful.at(-1)?.reading,
    });
  }
}
