import { parseLangChoice } from '../core/language.ts';
import type { LANGS } from '../text/script.ts';
import type { Command } from './command.ts';

const OTHER_LANGS: Record<(typeof LANGS)[number], readonly (typeof LANGS)[number][]> = {
  'zh-Hant': ['zh-Hans', 'en'],
  'zh-Hans': ['zh-Hant', 'en'],
  en: ['zh-Hant', 'zh-Hans'],
};

export const langCommand: Command = {
  name: 'lang',
  nameKey: 'nameLang',
  descriptionKey: 'cmdLang',
  argument: {
    name: 'language',
    descriptionKey: 'argLanguage',
    kind: 'choice',
    required: false,
    choices: ['zh-Hant', 'zh-Hans', 'en', 'auto'],
  },
  run: async ({ args, lang, composer, setLangOverride }) => {
    const choice = parseLangChoice(args);
    if (choice === undefined) {
      return {
        kind: 'clarify',
        lang,
        blocks: [{ type: 'paragraph', text: composer.ui('langUsage', lang) }],
        citations: [],
        suggestions: OTHER_LANGS[lang].map((l) => ({ label: composer.ui('langName', l), action: { type: 'lang', lang: l } })),
        source: 'offline',
      };
    }
    await setLangOverride(choice);
    const replyLang = choice ?? lang;
    // Not a fact about the article, so not an "answer" (answers always carry a citation).
    return {
      kind: 'clarify',
      lang: replyLang,
      blocks: [{ type: 'paragraph', text: choice ? composer.ui('langSet', replyLang) : composer.ui('langUsage', replyLang) }],
      citations: [],
      suggestions: composer.defaultSuggestions(replyLang),
      source: 'offline',
    };
  },
};
