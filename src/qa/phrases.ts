import { escapeRegExp } from '../text/regexp.ts';
/** Compiled phrase lists from content/language.yaml that shape how a message is split and read. */

/**
 * Splits one folded sentence at words that join two questions ("who wrote it and when",
 * "抓了多少人还有送去哪里"), where both sides ask something.
 */
export function compileJoiners(joiners: readonly string[], fold: (t: string) => string, maxParts: number) {
  const han: string[] = [];
  const latin: string[] = [];
  for (const j of joiners) {
    const f = fold(j);
    if (f) (/\p{Script=Han}/u.test(f) ? han : latin).push(escapeRegExp(f));
  }
  const parts = [...han, ...(latin.length > 0 ? [`(?<![a-z0-9'])(?:${latin.join('|')})(?![a-z0-9'])`] : [])];
  const pattern = parts.length > 0 ? new RegExp(parts.join('|'), 'g') : undefined;
  return (folded: string, asks: (text: string) => boolean): string[] => {
    if (!pattern) return [folded];
    const pieces: string[] = [];
    let start = 0;
    for (const m of folded.matchAll(pattern)) {
      const at = m.index ?? 0;
      const left = folded.slice(start, at).trim();
      const right = folded.slice(at + m[0].length).trim();
      if (left && right && asks(left) && asks(right)) {
        pieces.push(left);
        start = at + m[0].length;
        if (pieces.length === maxParts - 1) break;
      }
    }
    pieces.push(folded.slice(start).trim());
    return pieces.filter((p) => p.length > 0);
  };
}

/** The clause of "besides X, …" (X), read on folded text where the comma is gone. */
export function compileBesides(words: { before: readonly string[]; after: readonly string[] }, fold: (text: string) => string) {
  const alternatives = (list: readonly string[]) =>
    list
      .map((w) => fold(w))
      .filter(Boolean)
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|');
  if (words.before.length === 0 || words.after.length === 0) return (): string | undefined => undefined;
  const pattern = new RegExp(
    `(?:^|\\s|(?<=\\p{Script=Han}))(?:${alternatives(words.before)})\\s*(.{2,40}?)\\s*(?:${alternatives(words.after)})`,
    'u',
  );
  return (folded: string): string | undefined => pattern.exec(folded)?.[1];
}

/** Whether a folded sentence starts with one of `phrases`, after a polite opening ("please", "can you", "请"). */
export function compileStarts(
  phrases: readonly string[],
  politeStarts: readonly string[],
  fold: (text: string) => string,
): (folded: string) => boolean {
  const alternatives = (list: readonly string[]) =>
    list
      .map((p) => fold(p))
      .filter(Boolean)
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|');
  if (phrases.length === 0) return () => false;
  const polite = politeStarts.length > 0 ? `(?:(?:${alternatives(politeStarts)})\\s*)?` : '';
  const pattern = new RegExp(`^${polite}(?:${alternatives(phrases)})(?![a-z])`);
  return (folded) => pattern.test(folded);
}
