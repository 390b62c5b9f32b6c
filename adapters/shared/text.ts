/**
 * Text helpers both renderers share: cutting long text into pieces that fit a platform's limit,
 * and shortening labels. Lengths are the platform's own (UTF-16 units, or escaped HTML): a
 * `size` function says how a piece is measured.
 */

const ELLIPSIS = '…';

/** At most `max` characters (code points), with an ellipsis when cut: never half an emoji. */
export function trimLabel(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}${ELLIPSIS}`;
}

/** Where a piece of `window` may end: after a line, else a sentence, else a word, keeping at least half of it. */
function boundaryIn(window: string): number | undefined {
  for (const marks of [['\n'], ['。', '. ', '！', '？'], [' ']]) {
    const at = Math.max(...marks.map((m) => window.lastIndexOf(m)));
    if (at > window.length / 2) return at + 1;
  }
  return undefined;
}

/**
 * Splits text into pieces each of whose `size` is at most `budget`, at a line, sentence or word
 * boundary where there is one, never between the two halves of a surrogate pair. Pieces are
 * trimmed at the cut (the renderer puts its own spacing between them).
 */
export function splitText(text: string, budget: number, size: (piece: string) => number = (s) => s.length): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > 0 && size(rest) > budget) {
    // Measuring can grow text (& → &amp;): shrink the cut until the piece fits.
    let cut = Math.min(budget, rest.length);
    while (cut > 1 && size(rest.slice(0, cut)) > budget) cut = Math.floor(cut * 0.9);
    let at = boundaryIn(rest.slice(0, cut)) ?? cut;
    if (at > 1 && /[\uD800-\uDBFF]/.test(rest.charAt(at - 1))) at--;
    const piece = rest.slice(0, at).trimEnd();
    if (piece) out.push(piece);
    rest = rest.slice(at).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}
