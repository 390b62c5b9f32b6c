/**
 * Messages as people send them: a story, pasted text or repeated filler with the question
 * somewhere in it (usually last), markup around it, an injected "SYSTEM:" block, or two
 * questions at once. This finds the questions; it reads raw (cleaned) text, cheaply, so a
 * 100,000-character message costs a scan, not a conversion of every character.
 */

const MARKUP_TAG = /<\/?[a-zA-Z][^<>]{0,60}>/g;
/** Markdown that is not words: heading marks, emphasis, code fences, quote marks, list bullets. */
const MARKDOWN = /^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+|[*_~`]{1,3}/gm;
/** Links are not words of a question: a Markdown link keeps its text, a bare URL goes. */
const MARKDOWN_LINK = /\[([^\]]{0,200})\]\([^)]{0,500}\)/g;
const URL = /\b(?:https?:\/\/|www\.)\S+/gi;
/** A sentence: up to its end mark (a full stop only before a space: "U.S.", "2.5" stay whole), or a line. */
const SENTENCE = /(?:[^\n。！？!?.]|\.(?=\S))+(?:[。！？!?]+|\.(?=\s|$))?|[。！？!?]+/g;
const ENDS_AS_QUESTION = /[？?]\s*$/;
const QUESTION_MARK = /[?？]/g;
/** Where the sentence before a question mark ends. */
const SENTENCE_END = /[\n。！？!?]|\.(?=\s)/g;
/** Sentences looked at, from the end: a question is near the end of a long message, or marked with "?". */
const TAIL_SENTENCES = 12;
/** Question marks looked at, from the end of a long message. */
const MARKS_LOOKED_AT = 40;
/** Above this length a message is searched for its question marks instead of split whole. */
const LONG_MESSAGE = 4000;
/**
 * A phrase said three or more times in a row ("and please explain simply and please explain
 * simply …"): filler, kept once. Anchored at word starts so a 100,000-character message without
 * a question mark costs a few milliseconds, not a search from every character.
 */
const REPEATED_PHRASE = /(?<=^|\s)(\S.{4,80}?\s)\1{2,}/gs;
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
  /** A mail or chat client's line ("Sent from my phone"): not the sender's words. */
  isBoilerplateLine(line: string): boolean;
  /** A sentence that asks without a question mark ("Compare the two…", "请解释…"). */
  requests(sentence: string): boolean;
  /** A sentence that only says how to answer ("能不能用小学生听得懂的话讲讲？", "explain like I'm 10?"). */
  onlyManner?(sentence: string): boolean;
}

export function stripMarkup(text: string): string {
  return text.replace(MARKDOWN_LINK, '$1').replace(URL, ' ').replace(MARKUP_TAG, ' ').replace(MARKDOWN, ' ');
}

/**
 * The part of a message that asks something: its question sentences (ending in "?" or carrying
 * a question cue), repeated ones once, at most the last few; the whole text when it is short
 * and plain.
 */
export function focusMessage(text: string, rules: FocusRules): FocusedMessage {
  if (text.length > LONG_MESSAGE) {
    const marked = markedQuestions(text);
    if (marked.length === 0) {
      const collapsed = collapseRepeats(text);
      if (collapsed.length <= LONG_MESSAGE) return focusMessage(collapsed, rules);
      // Without a question mark, the question of a long message is in its last lines.
      return focusMessage(collapsed.slice(-LONG_MESSAGE).replace(/^[^\n]*\n/, ''), rules);
    }
    const kept = marked.filter((s) => !rules.isInstructionLine(s));
    return { text: (kept.length > 0 ? kept : marked).map(cap).join('\n'), instructions: kept.length < marked.length };
  }
  const lines = collapseRepeats(stripMarkup(text))
    .split('\n')
    .filter((line) => !rules.isBoilerplateLine(line));
  const kept = lines.filter((line) => !rules.isInstructionLine(line));
  const instructions = kept.length < lines.length;
  // A message that is nothing but instructions is itself what must be declined: it stays whole.
  const body = instructions && kept.some((l) => l.trim().length > 0) ? kept.join('\n') : lines.join('\n');
  const sentences =
    body
      .match(SENTENCE)
      ?.map((s) => s.trim())
      .filter((s) => s.length > 0) ?? [];
  if (sentences.length <= 1) return { text: cap(body.trim()), instructions };
  const unique = lastOfEach(sentences);
  const marked = unique.filter((s) => ENDS_AS_QUESTION.test(s));
  const tail = unique.slice(-TAIL_SENTENCES);
  // "Compare the two roles. Who did what?": a request without a mark is part of what is asked.
  const asking = (
    marked.length > 0 ? tail.filter((s) => ENDS_AS_QUESTION.test(s) || rules.requests(s)) : tail.filter((s) => rules.asks(s))
  ).slice(-MAX_QUESTIONS);
  // "…问我为啥柬埔寨会变成重灾区。能不能用小学生听得懂的话讲讲？": the manner is marked, the question is before it.
  const first = asking[0];
  if (first && rules.onlyManner && asking.every((a) => rules.onlyManner?.(a))) {
    const before = tail
      .slice(0, tail.indexOf(first))
      .reverse()
      .find((t) => rules.asks(t));
    // One question with its manner, not two questions.
    if (before) asking[0] = `${before} ${first}`;
  }
  const chosen = asking.length > 0 ? asking.slice(-MAX_QUESTIONS) : tail.slice(-1);
  return { text: chosen.map(cap).join('\n'), instructions };
}

function collapseRepeats(text: string): string {
  return text.replace(REPEATED_PHRASE, '$1');
}

/** Filler repeated to drown the question counts once, at its last place. */
function lastOfEach(sentences: readonly string[]): string[] {
  const lastIndex = new Map<string, number>();
  for (const [i, s] of sentences.entries()) lastIndex.set(s, i);
  return sentences.filter((s, i) => lastIndex.get(s) === i);
}

/**
 * The last few distinct sentences of a long text that end in a question mark, found from the
 * marks backwards: the text between them is never split or scanned by a regular expression.
 */
function markedQuestions(text: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const marks = [...text.matchAll(QUESTION_MARK)].map((m) => m.index ?? 0);
  // Only the last marks: a question repeated thousands of times is still one question.
  for (let k = marks.length - 1; k >= Math.max(0, marks.length - MARKS_LOOKED_AT) && found.length < MAX_QUESTIONS; k--) {
    const end = (marks[k] as number) + 1;
    const window = text.slice(Math.max(0, end - MAX_PART_CHARS), end - 1);
    let start = 0;
    for (const m of window.matchAll(SENTENCE_END)) start = (m.index ?? 0) + 1;
    const sentence = stripMarkup(window.slice(start)).trim();
    if (sentence.length === 0 || seen.has(sentence)) continue;
    seen.add(sentence);
    found.unshift(`${sentence}?`);
  }
  return found;
}

function cap(text: string): string {
  if (text.length <= MAX_PART_CHARS) return text;
  // The end of an over-long sentence is where its question is.
  return Array.from(text).slice(-MAX_PART_CHARS).join('');
}
