/**
 * Input hygiene shared by every path that reads user or article text.
 * Kept free of script conversion so it stays cheap and synchronous.
 */

// Zero-width characters, bidi embeddings/isolates/marks and the BOM: invisible, and a way
// to split words so that matching (or a moderator) misses them.
const INVISIBLE =
  /[\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0]|\p{Variation_Selector}|\u034F/gu;
// C0/C1 controls except tab and newline, plus lone surrogates that cannot be encoded.
const CONTROL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

/** NFKC, invisible and control characters removed, whitespace folded, trimmed. */
// Terminal colour and cursor sequences (ESC [ … letter): their printable tail would survive.
const ANSI_ESCAPE = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function cleanText(input: string): string {
  return input
    .replace(ANSI_ESCAPE, '')
    .replace(CONTROL, '')
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n[\n ]*/g, '\n')
    .trim();
}

/** Cuts a string to at most `max` characters (code points), adding an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

const HAN = /\p{Script=Han}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/** True when the text holds no letter or digit at all (emoji, punctuation, symbols only). */
export function hasNoWords(text: string): boolean {
  return !LETTER_OR_DIGIT.test(text);
}
