import type { ScriptConverter } from '../text/convert.ts';
import { detectScript, type Lang, type ScriptReport } from './script.ts';

/** Maps a platform locale (Telegram language_code, Discord locale) to a reply language. */
export function langFromLocale(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined;
  const l = locale.toLowerCase();
  if (/^zh[-_](tw|hk|mo|hant)/.test(l)) return 'zh-Hant';
  if (l.startsWith('zh')) return 'zh-Hans';
  if (l.startsWith('en')) return 'en';
  return undefined;
}

/** Parses what a user types after /lang: 繁, 简, en, zh-TW, auto… `null` means "back to automatic". */
export function parseLangChoice(text: string): Lang | null | undefined {
  const t = text.trim().toLowerCase();
  if (/^(繁|繁體|繁体|繁體中文|繁体中文|正體|zh-hant|zh-tw|zh-hk|tw|hant|traditional)$/.test(t)) return 'zh-Hant';
  if (/^(简|簡|简体|簡體|简体中文|簡體中文|zh-hans|zh-cn|zh|cn|hans|simplified)$/.test(t)) return 'zh-Hans';
  if (/^(en|eng|english|英文|英語|英语)$/.test(t)) return 'en';
  if (/^(auto|自動|自动|default|reset)$/.test(t)) return null;
  return undefined;
}

export interface LangInputs {
  text: string;
  /** Set with /lang for this chat: it wins over everything. */
  override?: Lang;
  /** Asked for explicitly with this message: wins over the text's own language. */
  hint?: Lang;
  locale?: string;
  previous?: Lang;
}

/**
 * Override, then an explicit request for this message (a translate button, the JSONL `lang`),
 * then the question's own script, then the platform locale, the chat's last language, the article's.
 */
/** Script detection; the core passes a memoised one (it converts the whole text twice). */
export type Detect = (text: string) => ScriptReport;

export function chooseLang(inputs: LangInputs, convert: ScriptConverter | Detect): Lang {
  if (inputs.override) return inputs.override;
  if (inputs.hint) return inputs.hint;
  const detected = typeof convert === 'function' ? convert(inputs.text) : detectScript(inputs.text, convert);
  if (detected.lang) return detected.lang;
  if (detected.script === 'hant' || detected.script === 'hans' || detected.script === 'mixed') {
    // Chinese whose characters are shared by both scripts (柬埔寨): keep a Chinese hint, else Traditional.
    const hinted = langFromLocale(inputs.locale) ?? inputs.previous;
    return hinted && hinted !== 'en' ? hinted : 'zh-Hant';
  }
  return langFromLocale(inputs.locale) ?? inputs.previous ?? 'zh-Hant';
}
