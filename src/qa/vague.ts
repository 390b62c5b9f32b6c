import { escapeRegExp } from '../text/regexp.ts';
/**
 * A message that points at nothing ("那个……咋说来着？", "ok but what about the other thing tho",
 * "咁點啊？", "asdfgh jkl"): once casual words and words that only point (this, that, 那个) are
 * taken away, nothing is left to answer, or a word or two nobody knows. Such a message is asked to
 * say more (clarify); it is not "outside the article", which needs a topic of its own.
 */
export function compileVagueCheck(
  words: readonly string[],
  fold: (text: string) => string,
  isKnownWord: (word: string) => boolean,
): (folded: string) => boolean {
  const han: string[] = [];
  const latin: string[] = [];
  for (const w of new Set(words.map((x) => fold(x).replace(/\s+/g, ' ').trim()).filter(Boolean))) {
    (/\p{Script=Han}/u.test(w) ? han : latin).push(escapeRegExp(w));
  }
  const byLength = (a: string, b: string) => b.length - a.length;
  const parts = [...han.sort(byLength), ...(latin.length > 0 ? [`(?<![a-z0-9'])(?:${latin.sort(byLength).join('|')})(?![a-z0-9'])`] : [])];
  const pattern = parts.length > 0 ? new RegExp(parts.join('|'), 'gu') : undefined;
  return (folded) => {
    const residue = (pattern ? folded.replace(pattern, ' ') : folded).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    if (residue.length === 0) return true;
    // Made-up tokens only ("asdfgh jkl"): nothing to go on.
    const tokens = residue.split(' ');
    return tokens.length <= 3 && tokens.every((t) => /^[a-z]+$/.test(t) && !isKnownWord(t));
  };
}
