import type { Lang } from '../text/script.ts';
import type { AnswerDeps } from './answer-deps.ts';
import { answerPart } from './answer-part.ts';
import type { CuedEntry } from './entry-cues.ts';
import type { Matching } from './matching.ts';
import { mergeParts } from './merge-parts.ts';
import { type FocusedMessage, MAX_QUESTIONS, stripMarkup } from './message.ts';
import type { Part } from './parts.ts';
import { ANSWER_THRESHOLD, CONFIDENT_THRESHOLD } from './thresholds.ts';
import type { AnswerTrace } from './trace.ts';

/** A message's questions, folded, with the whole of it as scanned for instructions. */
interface Asked {
  /** The focused text (its question sentences), folded. */
  whole: string;
  /** The whole message folded, when short enough to scan for instructions and claims. */
  scanned: string | undefined;
  parts: Part[];
}

/** The reply to a focused message: each of its questions answered, then merged into one reply. */
export function decide(
  deps: AnswerDeps,
  focused: FocusedMessage,
  scanned: string | undefined,
  lang: Lang,
  previousEntryId: string | undefined,
): AnswerTrace {
  const { composer, matching, cues } = deps;
  const whole = matching.fold(stripMarkup(focused.text));
  if (!whole) return { reply: composer.guidance('clarify', 'clarify', lang), rule: 'clarify', score: 0 };
  const parts = deps.partsOf(focused.text, scanned ?? whole);

  const injection = cues.injections.find(({ hits }) => hits(whole) || (scanned !== undefined && hits(scanned)));
  if (injection || focused.instructions) return answerAmidInstructions(deps, { whole, scanned, parts }, injection, lang, previousEntryId);
  const asked =
    parts.length > 0
      ? parts
      : [{ text: whole, folded: whole, reading: matching.read(whole), message: whole, messageOrdinals: [], messageNamesAdvice: false }];
  const traces = asked.map((p) => answerPart(deps, p, lang, previousEntryId));
  const partOf = new Map(traces.map((t, i) => [t, asked[i] as Part]));
  correctClaimsAround(deps, traces, asked, scanned, lang);
  return mergeParts(traces, {
    composer,
    lang,
    subjectAbout: (entryId) => deps.content.knowledge.subjects.find((s) => s.about === entryId),
    // Whether a part is worded like one the entry answers (then what that entry says covers it).
    resembles: (trace, entryId) => resembles(matching, partOf.get(trace), entryId),
  });
}

/**
 * Instructions are only text here. A false claim inside is corrected; a clear question
 * gets the article's truth (or its limit: "make up a name for the gang leader" → the
 * article names no one); anything else is declined.
 */
function answerAmidInstructions(
  deps: AnswerDeps,
  { whole, scanned, parts }: Asked,
  injection: CuedEntry | undefined,
  lang: Lang,
  previousEntryId: string | undefined,
): AnswerTrace {
  const { composer, cues } = deps;
  const premise = cues.premises.find(({ hits }) => hits(whole) || (scanned !== undefined && hits(scanned)));
  if (premise) return { reply: composer.fromEntry(premise.entry, lang), rule: 'premise', score: 1 };
  const answered = answeredAmidInstructions(deps, parts, lang, previousEntryId);
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
    reply: composer.fromEntry(injection?.entry ?? (cues.injections[0] as CuedEntry).entry, lang),
    rule: 'injection',
    score: 1,
  };
}

/** The questions beside the instructions that get an answer: a known limit of the article, or a confident answer. */
function answeredAmidInstructions(deps: AnswerDeps, parts: Part[], lang: Lang, previousEntryId: string | undefined): AnswerTrace[] {
  const { injections } = deps.cues;
  const real = parts.filter((p) => !injections.some(({ hits }) => hits(p.folded)) || p.reading.specific.size > 0);
  return (
    real
      .map((p) => ({ ...answerPart(deps, p, lang, previousEntryId), asked: p.marked === true }))
      // A known limit of the article ("make up a name for the gang leader" → it names no one) or a confident answer.
      .filter(
        (t) =>
          (t.rule === 'match' && t.reply.kind === 'not_in_article') ||
          // "…What's the name of the police chief?": a real question whose answer the article does not give.
          (t.rule === 'not-stated' && t.asked && (t.reading?.specific.size ?? 0) > 0 && (t.reading?.subjects.size ?? 0) > 0) ||
          (t.reply.kind === 'answer' && t.score >= CONFIDENT_THRESHOLD),
      )
  );
}

/**
 * A false claim outside the question ("They were all released. Where are they now?") is corrected
 * first, each of them ("…outside Bangkok, and Thai police picked up around fifty"): put before `traces`.
 */
function correctClaimsAround(
  { composer, cues }: AnswerDeps,
  traces: AnswerTrace[],
  asked: readonly Part[],
  scanned: string | undefined,
  lang: Lang,
): void {
  const claims = scanned === undefined ? [] : cues.premises.filter(({ hits }) => hits(scanned)).slice(0, MAX_QUESTIONS);
  const corrected = new Set(traces.map((t) => t.reply.entryId));
  if (traces.some((t) => t.rule === 'offtopic')) return;
  for (const claim of claims.reverse()) {
    // A claim inside a question part was corrected there.
    const inPart = asked.some((p) => claim.hits(p.folded));
    if (!inPart && !corrected.has(claim.entry.id))
      traces.unshift({ reply: composer.fromEntry(claim.entry, lang), rule: 'premise', score: 1 });
  }
}

/** Whether the question is worded like one the entry answers (then what that entry says covers it). */
function resembles({ index, features }: Matching, part: Part | undefined, entryId: string): boolean {
  return part !== undefined && (index.search(features(part.folded)).find((m) => m.entry.id === entryId)?.score ?? 0) >= ANSWER_THRESHOLD;
}
