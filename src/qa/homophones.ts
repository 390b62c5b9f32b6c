import { LRUCache } from 'lru-cache';
import { pinyin } from 'pinyin-pro';

/**
 * Chinese homophone typos ("陪训" for 培训, "运营伤" for 运营商): an input method offers the
 * wrong character of the same sound. A pair of characters the content never uses is replaced
 * by the one pair of the article's own words that sounds exactly the same, tone included (tones
 * keep "事实" from becoming "实施"). Only the article's and its subjects' words are sound-indexed,
 * so start-up stays cheap; any pair the content uses anywhere is left alone.
 */
export function createHomophoneSpeller(
  /** Every text of the content, folded into one string. */
  knownFolded: string,
  soundIndexed: readonly string[],
  fold: (text: string) => string,
): (folded: string) => string {
  // Each character's sound is looked up once (a character's usual reading is enough to match a
  // typo against the word meant, and it spares a dictionary call per pair of every question).
  const sounds = new LRUCache<string, string>({ max: SOUNDS_REMEMBERED });
  const soundOfChar = (ch: string): string => {
    let sound = sounds.get(ch);
    if (sound === undefined) {
      sound = pinyin(ch, { toneType: 'num' });
      sounds.set(ch, sound);
    }
    return sound;
  };
  const soundOf = (pair: string): string => Array.from(pair, soundOfChar).join(' ');
  // One fold of everything: script conversion costs per call far more than per character.
  const knownPairs = new Set(hanPairs(knownFolded));
  const bySound = new Map<string, Set<string>>();
  for (const pair of new Set(hanPairs(fold(soundIndexed.join('\n'))))) {
    const sound = soundOf(pair);
    const same = bySound.get(sound) ?? new Set<string>();
    same.add(pair);
    bySound.set(sound, same);
  }
  const fixRun = (run: string): string => {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) {
      const pair = `${chars[i]}${chars[i + 1]}`;
      if (knownPairs.has(pair)) continue;
      const same = bySound.get(soundOf(pair));
      if (same?.size !== 1) continue;
      const [meant] = same as Set<string>;
      const [first, second] = Array.from(meant as string) as [string, string];
      // A fix must not break a word the content knows on either side ("时候抓" is not "时后抓").
      const before = chars[i - 1];
      const after = chars[i + 2];
      if (before && knownPairs.has(`${before}${chars[i]}`) && !knownPairs.has(`${before}${first}`)) continue;
      if (after && knownPairs.has(`${chars[i + 1]}${after}`) && !knownPairs.has(`${second}${after}`)) continue;
      chars[i] = first;
      chars[i + 1] = second;
      i++;
    }
    return chars.join('');
  };
  return (folded) => (HAN_PAIR.test(folded) ? folded.replace(HAN_RUN, fixRun) : folded);
}

const SOUNDS_REMEMBERED = 20_000;
const HAN_RUN = /\p{Script=Han}{2,}/gu;
const HAN_PAIR = /\p{Script=Han}{2}/u;

function hanPairs(text: string): string[] {
  const pairs: string[] = [];
  for (const [run] of text.matchAll(HAN_RUN)) {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) pairs.push(`${chars[i]}${chars[i + 1]}`);
  }
  return pairs;
}
