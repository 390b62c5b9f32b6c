import * as OpenCC from 'opencc-js';
import type { Lang } from './script.ts';

/** Script conversion both ways. Build once at start-up: the Simplified→Traditional table takes ~100 ms. */
export interface ScriptConverter {
  toSimplified(text: string): string;
  toTraditional(text: string): string;
  /** Renders Chinese text in the script of `lang`; English leaves it as it is. */
  toLang(text: string, lang: Lang): string;
}

export function createScriptConverter(): ScriptConverter {
  const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
  // Characters only (not `twp`): quotes must stay the article's words, just in the reader's script.
  const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
  return {
    toSimplified,
    toTraditional,
    toLang: (text, lang) => (lang === 'zh-Hans' ? toSimplified(text) : lang === 'zh-Hant' ? toTraditional(text) : text),
  };
}
