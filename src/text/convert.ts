import { ConverterFactory } from 'opencc-js/core';
import STCharacters from 'opencc-js/dict/STCharacters';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TSPhrases from 'opencc-js/dict/TSPhrases';
import TWVariants from 'opencc-js/dict/TWVariants';
import TWVariantsPhrases from 'opencc-js/dict/TWVariantsPhrases';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import TWVariantsRevPhrases from 'opencc-js/dict/TWVariantsRevPhrases';
import type { Lang } from './script.ts';

/** Script conversion both ways. Build once at start-up: the Simplified→Traditional table takes ~100 ms. */
export interface ScriptConverter {
  toSimplified(text: string): string;
  toTraditional(text: string): string;
  /** Renders Chinese text in the script of `lang`; English leaves it as it is. */
  toLang(text: string, lang: Lang): string;
}

/**
 * Only the dictionaries these two directions use are imported: the package's full bundle
 * carries the Simplified→Traditional phrase table (1 MB), which costs start-up and memory.
 */
export function createScriptConverter(): ScriptConverter {
  // Taiwan usage → mainland: what OpenCC's { from: 'tw', to: 'cn' } preset does.
  const toSimplified = ConverterFactory([[TWVariantsRevPhrases, TWVariantsRev]], [[TSPhrases, TSCharacters]]);
  // Simplified→Traditional by characters only, without OpenCC's phrase table: it builds in
  // ~7 ms instead of ~160 ms, and it keeps the article's own words (the phrase table would
  // turn 據了解 into 據瞭解). Only article quotes and questions go this way; answers are
  // written per script in content/.
  const toTraditional = ConverterFactory([[STCharacters]], [[TWVariantsPhrases, TWVariants]]);
  return {
    toSimplified,
    toTraditional,
    toLang: (text, lang) => (lang === 'zh-Hans' ? toSimplified(text) : lang === 'zh-Hant' ? toTraditional(text) : text),
  };
}
