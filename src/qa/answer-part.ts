import type { Entry } from '../content/schema.ts';
import type { Reply } from '../protocol/reply.ts';
import type { Lang } from '../text/script.ts';
import { answerByNumber } from './advice-answers.ts';
import type { AnswerDeps } from './answer-deps.ts';
import type { ReplyComposer } from './compose.ts';
import { findFollowUp } from './cues.ts';
import type { Part } from './parts.ts';
import { WRAPPED_MIN } from './thresholds.ts';
import type { AnswerTrace } from './trace.ts';

/** One question, after the checks that apply to the whole message. */
export function answerPart(deps: AnswerDeps, part: Part, lang: Lang, previousEntryId: string | undefined): AnswerTrace {
  const { composer, rules, ranking } = deps;
  const cued = answerCued(deps, part, lang);
  if (cued) return cued;
  const numbered = answerByNumber(composer, part, lang, previousEntryId);
  if (numbered) return numbered;
  const followUp = answerFollowUp(composer, part.folded, lang, previousEntryId);
  if (followUp) return followUp;
  if (rules.isVague(part.folded))
    return { reply: composer.guidance('clarify', 'clarify', lang), rule: 'clarify', score: 0, reading: part.reading };
  return answerCompared(deps, part, lang) ?? ranking.answerRanked(part, lang);
}

/** An off-topic request or a false premise, recognised by its cue phrases. */
function answerCued(deps: AnswerDeps, part: Part, lang: Lang): AnswerTrace | undefined {
  const { offtopics, premises } = deps.cues;
  for (const [rule, list] of [
    ['offtopic', offtopics],
    ['premise', premises],
  ] as const) {
    // Off-topic before premise: "美國大選" is about an election, not a claim that the US helped.
    const hit = list.find(({ hits }) => hits(part.folded));
    if (hit) return answerCue(deps, part, lang, rule, hit.entry);
  }
  return undefined;
}

function answerCue(deps: AnswerDeps, part: Part, lang: Lang, rule: 'offtopic' | 'premise', entry: Entry): AnswerTrace {
  const { composer, cues } = deps;
  const stated = composer.fromEntry(entry, lang);
  // "Did the FBI help?": the article has nothing on it, and the reply's kind says so.
  const correction = entry.notMentioned && part.reading.yesNo ? { ...stated, kind: 'not_in_article' as const } : stated;
  // "有冇越南人?": a yes/no about something the article leaves open, around a place it does not report on.
  const openId = entry.alsoOpen && part.reading.yesNo ? [...cues.unknownTriggers].find(([, hits]) => hits(part.folded))?.[0] : undefined;
  const open = openId ? composer.entries.get(openId) : undefined;
  if (open) return { reply: composer.combine([correction, composer.fromEntry(open, lang)], lang), rule, score: 1, reading: part.reading };
  const wrapped = rule === 'premise' ? wrappedQuestion(deps, part, entry, lang) : undefined;
  // "Since they were trained in Vietnam, where were they trained?": correct it, and answer it.
  const reply = wrapped ? composer.combine([correction, wrapped], lang) : correction;
  return { reply, rule, score: 1, reading: part.reading };
}

/**
 * The real question a false premise wraps, answered on its own, when the part asks something
 * (not only "is it true?") that an entry other than the correction answers confidently.
 */
function wrappedQuestion({ composer, ranking }: AnswerDeps, part: Part, premise: Entry, lang: Lang): Reply | undefined {
  const kinds = [...part.reading.kinds].filter((k) => k !== 'yes_no');
  if (kinds.length === 0 || part.reading.yesNo) return undefined;
  const best = ranking.candidatesFor(part).ranked[0];
  if (!best || best.similarity < WRAPPED_MIN || best.entry.kind !== 'fact') return undefined;
  const corrected = new Set(premise.citations.map((c) => c.block));
  if (best.entry.citations.every((c) => corrected.has(c.block))) return undefined;
  return composer.fromEntry(best.entry, lang);
}

/** "Why?", "tell me more": about the entry answered before. */
function answerFollowUp(composer: ReplyComposer, folded: string, lang: Lang, previousEntryId: string | undefined): AnswerTrace | undefined {
  const followUp = findFollowUp(folded);
  if (!followUp) return undefined;
  const previous = previousEntryId ? composer.entries.get(previousEntryId) : undefined;
  if (!previous) return { reply: composer.guidance('clarify', 'followUpWithoutContext', lang), rule: 'follow-up', score: 0 };
  const targetId = followUp === 'why' ? (previous.why ?? previous.more) : (previous.more ?? previous.why);
  const target = (targetId && composer.entries.get(targetId)) || composer.entries.get(previous.related[0] ?? '') || previous;
  return { reply: composer.fromEntry(target, lang), rule: 'follow-up', score: 1 };
}

/** Subjects compared side by side, only when nothing narrower is asked ("which was the biggest, and how did it compare"). */
function answerCompared({ composer, cues, ranking }: AnswerDeps, part: Part, lang: Lang): AnswerTrace | undefined {
  const narrower = part.reading.specific.size > 0 || [...cues.unknownTriggers.values()].some((hits) => hits(part.message));
  const compared = part.reading.kinds.has('compare') && !narrower ? ranking.comparedEntries(part) : [];
  if (compared.length < 2) return undefined;
  const reply = composer.combine(
    compared.map((e) => composer.fromEntry(e, lang)),
    lang,
  );
  return { reply, rule: 'compare', score: 1, reading: part.reading };
}
