import type { Lang } from '../text/script.ts';
import type { ReplyComposer } from './compose.ts';
import { countsAdviceOrdinals, findAdviceCount, findOrdinal, findOrdinals, findThingsCount, isBareOrdinal, refersToTwo } from './cues.ts';
import { ADVICE_LIST_ID } from './entry-ids.ts';
import { MAX_QUESTIONS } from './message.ts';
import type { Part } from './parts.ts';
import type { AnswerTrace } from './trace.ts';

/**
 * A question that names recommendations by their number ("第三條建議", "recommendations 2 and 3",
 * "the last one" after the list) or counts them ("the four recommendations"); undefined otherwise.
 */
export function answerByNumber(
  composer: ReplyComposer,
  part: Part,
  lang: Lang,
  previousEntryId: string | undefined,
): AnswerTrace | undefined {
  const { folded } = part;
  let ordinals = findOrdinals(folded);
  // "我们组分到第二条和第三条……对比一下这两条": the two were named before the question.
  if (ordinals.length < 2 && part.messageOrdinals.length >= 2 && (refersToTwo(folded) || part.reading.kinds.has('compare')))
    ordinals = part.messageOrdinals;
  const namesAdvice = part.reading.kinds.has('advice') || part.messageNamesAdvice || isAdviceContext(composer, previousEntryId);
  if (ordinals.length >= 2 && (namesAdvice || countsAdviceOrdinals(folded) >= 2)) {
    const parts = ordinals.slice(0, MAX_QUESTIONS).map((n) => recommendation(composer, n, lang).reply);
    return { reply: composer.combine(parts, lang), rule: 'ordinal', score: 1, reading: part.reading };
  }
  const ordinal = findOrdinal(folded);
  if (ordinal && (ordinal.namesAdvice || (isAdviceContext(composer, previousEntryId) && isBareOrdinal(folded)))) {
    return recommendation(composer, ordinal.last ? composer.recommendations.length : ordinal.n, lang);
  }
  return answerAdviceCount(composer, part, lang);
}

/** Recommendation `n`, or the list with a notice of how many there are when the article has no such one. */
function recommendation(composer: ReplyComposer, n: number, lang: Lang): AnswerTrace {
  const entry = composer.recommendations.find((r) => r.n === n);
  if (entry) return { reply: composer.fromEntry(entry, lang), rule: 'ordinal', score: 1 };
  const list = composer.adviceList(lang);
  const reply = composer.notice(
    { ...list, kind: 'not_in_article' },
    composer.text('adviceOutOfRange', lang, { count: composer.recommendations.length }),
  );
  return { reply, rule: 'ordinal', score: 1 };
}

/** "文章的四條建議是什麼?" counts the recommendations: the list (with a correction when the count is wrong). */
function answerAdviceCount(composer: ReplyComposer, part: Part, lang: Lang): AnswerTrace | undefined {
  const { folded } = part;
  const count = findAdviceCount(folded) ?? (part.reading.kinds.has('advice') ? findThingsCount(folded) : undefined);
  if (count === undefined) return undefined;
  const recommendationCount = composer.recommendations.length;
  const list = composer.adviceList(lang);
  if (count <= recommendationCount) return { reply: list, rule: 'ordinal', score: 1 };
  const notice = composer.text('adviceOutOfRange', lang, { count: recommendationCount });
  return { reply: composer.notice({ ...list, kind: 'not_in_article' }, notice), rule: 'ordinal', score: 1 };
}

/** The previous turn answered with the list of recommendations or one of them: a bare "the second one" means a recommendation. */
function isAdviceContext(composer: ReplyComposer, id: string | undefined): boolean {
  return id === ADVICE_LIST_ID || (id !== undefined && composer.entries.get(id)?.kind === 'recommendation');
}
