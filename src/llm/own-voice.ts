import type { SelfReference } from '../content/schema.ts';
import { escapeRegExp } from '../text/regexp.ts';
import type { Lang } from '../text/script.ts';

/** Text in the bot's own voice: the article's self-references say what they mean. */
export type VoiceRepair = (text: string, lang: Lang) => string;

// Quoted words are the article's, as it wrote them.
const QUOTED = /「[^」]*」|“[^”]*”|"[^"]*"/.source;

/**
 * Replaces the article's words for its own side (knowledge.yaml provenance.selfReferences)
 * outside quotation marks. A Chinese word becomes the reply's Chinese word; in an English reply,
 * where Chinese appears only as the article's wording, the article's script. An English word
 * becomes the English meaning in any reply, matched whole, with either case of its initial.
 */
export function createVoiceRepair(references: readonly SelfReference[], articleLanguage: Exclude<Lang, 'en'>): VoiceRepair {
  const chinese = new Map<string, SelfReference>();
  const english = new Map<string, SelfReference>();
  for (const reference of references) {
    for (const word of [...reference.says['zh-Hant'], ...reference.says['zh-Hans']]) addOnce(chinese, word, reference);
    for (const word of reference.says.en) addOnce(english, lowerInitial(word), reference);
  }
  if (chinese.size === 0 && english.size === 0) return (text) => text;
  const alternatives = [
    ...longestFirst([...chinese.keys()]).map(escapeRegExp),
    ...longestFirst([...english.keys()]).map((word) => `\\b${eitherInitialCase(word)}\\b`),
  ];
  const pattern = new RegExp(`(${QUOTED})|${alternatives.join('|')}`, 'g');

  return (text, lang) =>
    text.replace(pattern, (whole, quoted: string | undefined) => {
      if (quoted) return whole;
      const inChinese = chinese.get(whole);
      if (inChinese) return inChinese.means[lang === 'en' ? articleLanguage : lang];
      return english.get(lowerInitial(whole))?.means.en ?? whole;
    });
}

/** The first reference to list a word decides what it means. */
function addOnce(map: Map<string, SelfReference>, word: string, reference: SelfReference): void {
  if (!map.has(word)) map.set(word, reference);
}

/** Longer words first, so a word that contains another is replaced whole. */
function longestFirst(words: string[]): string[] {
  return [...words].sort((a, b) => b.length - a.length);
}

function lowerInitial(word: string): string {
  return word.charAt(0).toLowerCase() + word.slice(1);
}

/** "our country" as [oO]ur country: sentence case matches too, shouting does not. */
function eitherInitialCase(word: string): string {
  const initial = word.charAt(0);
  const lower = initial.toLowerCase();
  const upper = initial.toUpperCase();
  const rest = escapeRegExp(word.slice(1));
  return lower === upper ? escapeRegExp(word) : `[${lower}${upper}]${rest}`;
}
