/**
 * Messages as people send them: a story, pasted text or repeated filler with the question
 * somewhere in it (usually last), markup around it, an injected "SYSTEM:" block, or two
 * questions at once. This finds the questions; it reads raw (cleaned) text, cheaply, so a
 * 100,000-character message costs a scan, not a conversion of every character.
 */

const MARKUP_TAG = /<\/?[a-zA-Z][^<>]{0,60}>/g;
/** Markdown that is not words: heading marks, emphasis, code fences, quote marks, list bullets. */
const MARKDOWN = /^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+|[*_~`]{1,3}/gm;
/** A sentence: up to its end mark, or a line. */
const SENTENCE = /[^\n。！？!?]+[。！？!?]*|[。！？!?]+/g;
const ENDS_AS_QUESTION = /[？?]\s*$/;
/** Sentences looked at, from the end: a question is near the end of a long message, or marked with "?". */
const TAIL_SENTENCES = 12;
/** Questions answered in one reply. */
export const MAX_QUESTIONS = 3;
/** One question's length cap: enough for any real question, and it bounds the matching work. */
const MAX_PART_CHARS = 400;

export interface FocusedMessage {
  /** The question sentences, in order, each on its own line. */
  text: string;
  /** The message carried lines addressed to the bot as instructions, which were left out. */
  instructions: boolean;
}

export interface FocusRules {
  /** A line that instructs the bot ("SYSTEM: …"): never part of the question. */
  isInstructionLine(line: string): boolean;
  /** Whether a sentence carries a question cue (what, 哪里, 吗, …). */
  asks(sentence: string): boolean;
}

export function stripMarkup(text: string): string {
  return text.replace(MARKUP_TAG, ' ').replace(MARKDOWN, ' ');
}

/**
 * The part of a message that asks something: its question sentences (ending in "?" or carrying
 * a question cue), repeated ones once, at most the last few; the whole text when it is short
 * and plain.
 */
export function focusMessage(text: string, rules: FocusRules): FocusedMessage {
  const lines = stripMarkup(text).split('\n');
  const kept = lines.filter((line) => !rules.isInstructionLine(line));
  // A message that is nothing but instructions is itself what must be declined.
  const instructions = kept.length < lines.length && kept.some((l) => l.trim().length > 0);
  const body = instructions ? kept.join('\n') : lines.join('\n');
  const sentences =
    body
      .match(SENTENCE)
      ?.map((s) => s.trim())
      .filter((s) => s.length > 0) ?? [];
  if (sentences.length <= 1) return { text: cap(body.trim()), instructions };
  // Filler repeated to drown the question counts once, at its last place.
  const lastIndex = new Map<string, number>();
  for (const [i, s] of sentences.entries()) lastIndex.set(s, i);
  const unique = sentences.filter((s, i) => lastIndex.get(s) === i);
  const marked = unique.filter((s) => ENDS_AS_QUESTION.test(s));
  const tail = unique.slice(-TAIL_SENTENCES);
  const asking = (marked.length > 0 ? marked : tail.filter((s) => rules.asks(s))).slice(-MAX_QUESTIONS);
  const chosen = asking.length > 0 ? asking : tail.slice(-1);
  return { text: chosen.map(cap).join('\n'), instructions };
}

function cap(text: string): string {
  if (text.length <= MAX_PART_CHARS) return text;
  // The end of an over-long sentence is where its question is.
  return Array.from(text).slice(-MAX_PART_CHARS).join('');
}
