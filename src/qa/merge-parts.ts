import type { Subject } from '../content/schema.ts';
import type { Lang } from '../text/script.ts';
import type { ReplyComposer } from './compose.ts';
import type { AnswerTrace } from './trace.ts';

export interface MergeDeps {
  composer: ReplyComposer;
  lang: Lang;
  /** The subject whose "what the article says" entry this is. */
  subjectAbout: (entryId: string | undefined) => Subject | undefined;
  /** Whether the part a trace answers is worded like a question the entry answers. */
  resembles: (trace: AnswerTrace, entryId: string) => boolean;
}

/**
 * The answers to a message's parts (and the corrections of claims around them) as one reply:
 * the same answer said once, guidance dropped when something was answered, an off-topic half
 * said to be left out, and a second question the article does not answer said so.
 */
export function mergeParts(given: AnswerTrace[], { composer, lang, subjectAbout, resembles }: MergeDeps): AnswerTrace {
  // "…and Thai police picked up fifty. Am I remembering this right?": the corrections answer it.
  const checksClaims = (t: AnswerTrace) =>
    t.rule === 'not-stated' && (t.reading?.subjects.size ?? 0) === 0 && (t.reading?.specific.size ?? 0) === 0;
  const traces = given.some((t) => t.rule === 'premise') ? given.filter((t) => !checksClaims(t)) : given;
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
    const subject = t.rule === 'not-stated' && askedElse && !resembles(t, key) ? subjectAbout(t.reply.entryId) : undefined;
    return subject ? [{ ...t, reply: composer.notStatedBeyond(subject, lang) }] : [];
  });
  if (useful.length === 0) return traces.at(-1) as AnswerTrace;
  // "What's the weather there, and how many were arrested?": the other topic is said to be left out.
  const leftOut = (trace: AnswerTrace): AnswerTrace =>
    offtopic ? { ...trace, reply: composer.notice(trace.reply, composer.text('partOffTopic', lang)) } : trace;
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
