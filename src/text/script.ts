import type { Lang } from '../protocol/lang.ts';
import type { ScriptConverter } from './convert.ts';

export { isLang, LANGS, type Lang } from '../protocol/lang.ts';

export type Script = 'hant' | 'hans' | 'latin' | 'mixed' | 'none';

export interface ScriptReport {
  script: Script;
  /** The language to answer in, when the text decides it; undefined when it cannot tell. */
  lang: Lang | undefined;
  han: number;
  latin: number;
  traditionalOnly: number;
  simplifiedOnly: number;
}

const HAN_CHAR = /\p{Script=Han}/u;
const LATIN_CHAR = /[A-Za-z]/;

/**
 * Counts characters that exist only in one script: a character is Traditional-only when
 * converting to Simplified changes it, Simplified-only when converting to Traditional does.
 * Characters common to both scripts (柬埔寨) do not vote.
 */
export function detectScript(text: string, convert: ScriptConverter): ScriptReport {
  let han = 0;
  let latin = 0;
  let traditionalOnly = 0;
  let simplifiedOnly = 0;
  // Whole-text conversion, compared position by position: OpenCC resolves a character by its
  // neighbours (什么 stays 什么, while a lone 么 would become 幺).
  const chars = Array.from(text);
  const simplified = Array.from(convert.toSimplified(text));
  const traditional = Array.from(convert.toTraditional(text));
  const aligned = simplified.length === chars.length && traditional.length === chars.length;
  chars.forEach((ch, i) => {
    if (HAN_CHAR.test(ch)) {
      han++;
      const s = aligned ? simplified[i] : convert.toSimplified(ch);
      const t = aligned ? traditional[i] : convert.toTraditional(ch);
      if (s !== ch) traditionalOnly++;
      else if (t !== ch) simplifiedOnly++;
    } else if (LATIN_CHAR.test(ch)) {
      latin++;
    }
  });
  const zhLang: Lang | undefined = traditionalOnly > simplifiedOnly ? 'zh-Hant' : simplifiedOnly > traditionalOnly ? 'zh-Hans' : undefined;
  // A Chinese character carries roughly a word, a Latin letter a fifth of one.
  const hanWeight = han;
  const latinWeight = latin / 5;
  let script: Script;
  if (han === 0 && latin === 0) script = 'none';
  else if (han === 0) script = 'latin';
  else if (latin === 0 || latinWeight < hanWeight / 4) script = zhLang === 'zh-Hans' ? 'hans' : 'hant';
  else if (hanWeight < latinWeight / 4) script = 'latin';
  else script = 'mixed';
  let lang: Lang | undefined;
  if (script === 'latin') lang = 'en';
  else if (script === 'hant' || script === 'hans') lang = zhLang;
  else if (script === 'mixed') lang = hanWeight >= latinWeight ? zhLang : 'en';
  return { script, lang, han, latin, traditionalOnly, simplifiedOnly };
}
