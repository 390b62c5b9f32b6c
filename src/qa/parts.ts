import { findOrdinals } from './cues.ts';
import { MAX_QUESTIONS } from './message.ts';
import { type Reading, startsWithQuestionWord } from './reading.ts';

/** One question of a message, read, with what the whole message says around it. */
export interface Part {
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

export interface PartsDeps {
  fold: (text: string) => string;
  read: (folded: string) => Reading;
  isVague: (folded: string) => boolean;
  isOfftopic: (folded: string) => boolean;
  joiners: (folded: string, asks: (text: string) => boolean) => string[];
}

/**
 * The questions of a message: its question sentences (one per line of the focused text), two
 * clauses that each ask split at a comma, and two questions joined in one ("who wrote it, and when?").
 */
export function createPartsReader({ fold, read, isVague, isOfftopic, joiners }: PartsDeps): (text: string, message: string) => Part[] {
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

  return (text: string, message: string): Part[] => {
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
}
