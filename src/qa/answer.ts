import { LRUCache } from 'lru-cache';
import type { Content } from '../content/load.ts';
import type { Entry } from '../content/schema.ts';
import type { Reply } from '../protocol/reply.ts';
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
import { type IndexSnapshot, ParaphraseIndex } from './paraphrase-index.ts';
import { mergeParts } from './merge-parts.ts';
import { type FocusedMessage, focusMessage, MAX_QUESTIONS, stripMarkup } from './message.ts';
import { createPartsReader, type Part } from './parts.ts';
import { compileJoiners, compileStarts } from './phrases.ts';
import { createRanking } from './ranked.ts';
import { createMatchFold, createReader, type Reading } from './reading.ts';
import { ANSWER_THRESHOLD, CONFIDENT_THRESHOLD, INSTRUCTION_SCAN_CHARS, WRAPPED_MIN } from './thresholds.ts';
import { compileVagueCheck } from './vague.ts';
import { contentTexts, createVocabulary, spellingTexts } from './vocabulary.ts';

export { ANSWER_THRESHOLD } from './thresholds.ts';

const MEMO_ENTRIES = 2000;

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
  const index = indexed ? ParaphraseIndex.restore(entries, indexed) : ParaphraseIndex.build(entries, contentFold);
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
      composer.text('adviceOutOfRange', lang, { count: recommendationCount }),
    );
    return { reply, rule: 'ordinal', score: 1 };
  };

  const isAdviceContext = (id: string | undefined) =>
    id === 'advice.list' || (id !== undefined && composer.entries.get(id)?.kind === 'recommendation');

  const { candidatesFor, answerRanked, comparedEntries } = createRanking({
    content,
    composer,
    index,
    vocabulary,
    unknownTriggers,
    answerable,
    fold,
    plainFold,
  });

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
      const notice = composer.text('adviceOutOfRange', lang, { count: recommendationCount });
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

  /** Whether the question is worded like one the entry answers (then what that entry says covers it). */
  const resembles = (part: Part | undefined, entryId: string) =>
    part !== undefined && (index.search(extractFeatures(part.folded)).find((m) => m.entry.id === entryId)?.score ?? 0) >= ANSWER_THRESHOLD;

  const partsOf = createPartsReader({ fold, read, isVague, isOfftopic, joiners });

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
        return { reply: composer.notice(reply, composer.text('instructionsIgnored', lang)), rule: 'match', score: answered[0]?.score ?? 0 };
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
    return mergeParts(traces, {
      composer,
      lang,
      subjectAbout: (entryId) => content.knowledge.subjects.find((s) => s.about === entryId),
      // Whether a part is worded like one the entry answers (then what that entry says covers it).
      resembles: (trace, entryId) => resembles(partOf.get(trace), entryId),
    });
  }
}
