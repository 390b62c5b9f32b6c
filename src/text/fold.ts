import type { ScriptConverter } from './convert.ts';
import { cleanText } from './normalize.ts';

/**
 * The matching form of a text: cleaned, Simplified, lower case, with punctuation and spaces
 * removed between Chinese characters. Two texts that differ only in script, width or
 * punctuation fold to the same string.
 */
export function foldForMatch(text: string, convert: ScriptConverter): string {
  return convert
    .toSimplified(cleanText(text))
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/(?<=\p{Script=Han}) (?=\p{Script=Han})/gu, '')
    .trim();
}

/** Same as foldForMatch but with every space removed: for "is this quote inside that block" checks. */
export function foldForQuote(text: string, convert: ScriptConverter): string {
  return foldForMatch(text, convert).replace(/\s+/g, '');
}
