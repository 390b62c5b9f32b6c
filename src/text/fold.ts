import type { ScriptConverter } from './convert.ts';
import { cleanText } from './normalize.ts';

/**
 * The matching form of a text: cleaned, Simplified, lower case, with punctuation and spaces
 * removed between Chinese characters. Two texts that differ only in script, width or
 * punctuation fold to the same string.
 */
export function foldForMatch(text: string, convert: ScriptConverter): string {
  return (
    convert
      .toSimplified(cleanText(text))
      .toLowerCase()
      // "what's", "don't": one word, as people also type them ("whats", "dont").
      .replace(/(?<=[a-z])['’](?=[a-z])/g, '')
      .replace(/[\p{P}\p{S}]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .replace(/(?<=\p{Script=Han}) (?=\p{Script=Han})/gu, '')
      .trim()
  );
}

/** Same as foldForMatch but with every space removed: for "is this quote inside that block" checks. */
export function foldForQuote(text: string, convert: ScriptConverter): string {
  return foldForMatch(text, convert).replace(/\s+/g, '');
}

/**
 * The article's own words for a quote given in any script, spacing or punctuation (a model's
 * quote in Simplified): the substring of `block` that folds to the same text, or undefined.
 */
export function verbatimIn(block: string, quote: string, convert: ScriptConverter): string | undefined {
  if (block.includes(quote)) return quote;
  const target = foldForQuote(quote, convert);
  if (!target) return undefined;
  // Fold the block one character at a time, remembering where each folded character came from.
  const chars = Array.from(block);
  const folded: string[] = [];
  const origin: number[] = [];
  chars.forEach((ch, i) => {
    const f = foldForQuote(ch, convert);
    for (const c of Array.from(f)) {
      folded.push(c);
      origin.push(i);
    }
  });
  const at = folded.join('').indexOf(target);
  if (at < 0) return undefined;
  const length = Array.from(target).length;
  return chars.slice(origin[at] as number, (origin[at + length - 1] as number) + 1).join('');
}
