/**
 * The matcher as it was before question understanding (#14), kept only so `npm run bench` can
 * time today's answerer side by side with it in the same run. Not used by the bot.
 */
import { LRUCache } from 'lru-cache';
import type { Content } from '../../src/content/load.ts';
import type { Entry } from '../../src/content/schema.ts';
import type { Reply } from '../../src/protocol/reply.ts';
import type { ReplyComposer } from '../../src/qa/compose.ts';
import { compileNumberCue, compileTriggers, findAdviceCount, findFollowUp, findOrdinal, isBareOrdinal } from '../../src/qa/cues.ts';
import { extractFeatures, type Features } from '../../src/qa/features.ts';
import { type IndexSnapshot, ParaphraseIndex } from '../../src/qa/paraphrase-index.ts';
import type { ScriptConverter } from '../../src/text/convert.ts';
import { foldForMatch } from '../../src/text/fold.ts';
import { hasNoWords } from '../../src/text/normalize.ts';
import type { Lang } from '../../src/text/script.ts';

const MEMO_ENTRIES = 2000;

/** A match at or above this similarity is answered; below it the question is not recognised. */
export const ANSWER_THRESHOLD = 0.3;
/** A match this close is answered even when the message also carries instructions. */
const CONFIDENT_THRESHOLD = 0.55;
/** Added to an `unknown` entry whose trigger phrase is present ("when", "exact number"). */
const UNKNOWN_TRIGGER_BONUS = 0.3;
/** A cued unknown needs at least this similarity of its own to take the answer. */
const CUED_UNKNOWN_MIN = 0.12;
const MARKUP_TAG = /<\/?[a-zA-Z][^<>]{0,60}>/g;
/** Sentences of a long message tried on their own. */
const MAX_SEGMENTS = 6;
/** Added to the recommendations and their list when the question names recommendations. */
const ADVICE_CUE_BONUS = 0.15;
const ADVICE_WORDS = /建议|建言|对策|\b(recommend\w*|suggest\w*|advice|advise\w*|propos\w*|tips?)\b/;
const mentionsAdvice = (folded: string) => ADVICE_WORDS.test(folded);
const isAdvice = (entry: Entry) => entry.kind === 'recommendation' || entry.id === 'advice.list';
/** Share of the question's weight on words the content knows, above which it is "about the article". */
const IN_DOMAIN_COVERAGE = 0.55;

export interface AnswerInput {
  /** Cleaned text (see text/normalize.ts), already capped in length. */
  text: string;
  lang: Lang;
  /** The entry answered in the previous turn of this chat, for follow-ups. */
  previousEntryId?: string;
}

export interface AnswerTrace {
  reply: Reply;
  /** Which rule decided, and the best similarity score: for the eval and the LLM router. */
  rule: 'clarify' | 'injection' | 'premise' | 'offtopic' | 'ordinal' | 'follow-up' | 'match' | 'not-covered' | 'no-match';
  score: number;
}

export interface Answerer {
  answer(input: AnswerInput): AnswerTrace;
  /** The same without the memo of recent answers (for measuring the matcher itself). */
  answerFresh(input: AnswerInput): AnswerTrace;
  /** Known questions for what a user is typing (autocomplete), best first, in their language. */
  suggest(partial: string, lang: Lang, limit: number): string[];
}

/** `indexed`: the paraphrase index of exactly this content, when start-up has it cached. */
export function createPreviousAnswerer(
  content: Content,
  convert: ScriptConverter,
  composer: ReplyComposer,
  indexed?: IndexSnapshot,
): Answerer {
  const fold = (text: string) => foldForMatch(text, convert);
  const entries = content.knowledge.entries;
  const index = indexed ? ParaphraseIndex.restore(entries, indexed) : ParaphraseIndex.build(entries, fold);
  const triggered = (kind: Entry['kind']) =>
    entries
      .filter((e) => e.kind === kind && (e.triggers.length > 0 || e.numberCue))
      .map((e) => {
        const phrase = compileTriggers(e.triggers, fold);
        const figure = e.numberCue ? compileNumberCue(e.numberCue, fold) : () => false;
        return { entry: e, hits: (folded: string) => phrase(folded) || figure(folded) };
      });
  const injections = triggered('injection');
  const premises = triggered('premise');
  const offtopics = triggered('offtopic');
  const unknownTriggers = new Map(triggered('unknown').map(({ entry, hits }) => [entry.id, hits]));
  const recommendationCount = composer.recommendations.length;

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

  /**
   * The best entry for a question. A known unknown competes only when one of its cue phrases
   * is present ("exactly", "which prison"), and then it wins: "where were they taken?" gets the
   * fact, "which prison?" the limit. False premises are recognised by their cue phrases only:
   * their paraphrases look like true questions with one word changed.
   */
  const bestEntry = (folded: string, features: Features): { entry: Entry; score: number } | undefined => {
    const cued = new Set([...unknownTriggers].filter(([, hits]) => hits(folded)).map(([id]) => id));
    const ranked = index.search(features, (e) => e.kind === 'fact' || e.kind === 'recommendation' || cued.has(e.id));
    const unknown = ranked.find((m) => cued.has(m.entry.id) && m.score >= CUED_UNKNOWN_MIN);
    if (unknown) return { entry: unknown.entry, score: unknown.score + UNKNOWN_TRIGGER_BONUS };
    // Naming the recommendations ("文中那几条建议", "what does it propose") points at the advice.
    if (mentionsAdvice(folded)) {
      return ranked.map((m) => (isAdvice(m.entry) ? { ...m, score: m.score + ADVICE_CUE_BONUS } : m)).sort((a, b) => b.score - a.score)[0];
    }
    return ranked[0];
  };

  /**
   * The whole message, or one of its sentences when that matches better: in "# 标题 … 被抓的人
   * 会被送到哪里?" the question is the last line, not the Markdown heading.
   */
  const bestInMessage = (folded: string, features: Features, text: string) => {
    let best = bestEntry(folded, features);
    const sentences =
      text
        .match(/[^\n。！？!?]+[。！？!?]*/g)
        ?.map((s) => s.trim())
        .filter((s) => s.length >= 3) ?? [];
    if (sentences.length < 2) return best;
    // When some sentences are questions, only they are tried: the rest is context or noise.
    const questions = sentences.filter((s) => /[？?]$/.test(s));
    for (const segment of (questions.length > 0 ? questions : sentences).slice(-MAX_SEGMENTS)) {
      const segmentFolded = fold(segment);
      const candidate = bestEntry(segmentFolded, extractFeatures(segmentFolded));
      if (candidate && (!best || candidate.score > best.score)) best = candidate;
    }
    return best;
  };

  const answerRanked = (text: string, folded: string, features: Features, lang: Lang): AnswerTrace => {
    const best = bestInMessage(folded, features, text);
    if (best && best.score >= ANSWER_THRESHOLD) return { reply: composer.fromEntry(best.entry, lang), rule: 'match', score: best.score };
    const score = best?.score ?? 0;
    if (index.coverage(features) >= IN_DOMAIN_COVERAGE) {
      return { reply: composer.guidance('not_in_article', 'notCovered', lang), rule: 'not-covered', score };
    }
    return { reply: composer.guidance('out_of_scope', 'noMatch', lang), rule: 'no-match', score };
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
    suggest(partial, lang, limit) {
      const askable = (e: Entry) => e.kind === 'fact' || e.kind === 'recommendation';
      const folded = fold(partial);
      const ranked = folded ? index.search(extractFeatures(folded), askable).map((m) => m.entry) : entries.filter(askable);
      // Questions containing what was typed come first, then the closest matches.
      const byText = folded ? entries.filter((e) => askable(e) && e.questions[lang].some((q) => fold(q).includes(folded))) : [];
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
    if (text.length === 0 || hasNoWords(text) || Array.from(text.replace(/\s/g, '')).length <= 1) {
      return { reply: composer.guidance('clarify', 'clarify', lang), rule: 'clarify', score: 0 };
    }
    // Markup tags are not words of the question (the bot never echoes them either).
    text = text.replace(MARKUP_TAG, ' ');
    const folded = fold(text);
    const features = extractFeatures(folded);

    const injection = injections.find(({ hits }) => hits(folded));
    if (injection) {
      // Instructions are only text here. A false claim inside is corrected; a clear question
      // gets the article's truth (or its limit: "make up a name for the gang leader" → the
      // article names no one); anything else is declined.
      const premise = premises.find(({ hits }) => hits(folded));
      if (premise) return { reply: composer.fromEntry(premise.entry, lang), rule: 'premise', score: 1 };
      const best = bestInMessage(folded, features, text);
      if (best && (best.entry.kind === 'unknown' || best.score >= CONFIDENT_THRESHOLD)) {
        return { reply: composer.fromEntry(best.entry, lang), rule: 'match', score: best.score };
      }
      return { reply: composer.fromEntry(injection.entry, lang), rule: 'injection', score: 1 };
    }
    // Off-topic before premise: "美國大選" is about an election, not a claim that the US helped.
    for (const [rule, list] of [
      ['offtopic', offtopics],
      ['premise', premises],
    ] as const) {
      const hit = list.find(({ hits }) => hits(folded));
      if (hit) return { reply: composer.fromEntry(hit.entry, lang), rule, score: 1 };
    }

    const ordinal = findOrdinal(folded);
    if (ordinal && (ordinal.namesAdvice || (isAdviceContext(previousEntryId) && isBareOrdinal(folded)))) {
      return recommendation(ordinal.last ? recommendationCount : ordinal.n, lang);
    }
    // "文章的四條建議是什麼?" counts the recommendations: the list (with a correction when the count is wrong).
    const count = findAdviceCount(folded);
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

    return answerRanked(text, folded, features, lang);
  }
}
