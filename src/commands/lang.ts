import type { Reply } from '../protocol/reply.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import { parseLangChoice } from '../text/language.ts';
import { hasHan } from '../text/normalize.ts';
import type { LANGS, Lang } from '../text/script.ts';
import type { Command } from './command.ts';

const OTHER_LANGS: Record<(typeof LANGS)[number], readonly (typeof LANGS)[number][]> = {
  'zh-Hant': ['zh-Hans', 'en'],
  'zh-Hans': ['zh-Hant', 'en'],
  en: ['zh-Hant', 'zh-Hans'],
};

// Not a fact about the article, so not an "answer" (answers always carry a citation).
function confirm(composer: ReplyComposer, lang: Lang, text: string): Reply {
  return {
    kind: 'clarify',
    lang,
    blocks: [{ type: 'paragraph', text }],
    citations: [],
    suggestions: composer.defaultSuggestions(lang),
    source: 'offline',
  };
}

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
  // "auto", "en", "reset" are keywords: the Latin word "auto" must not make the reply English.
  argumentLanguage: 'chinese-only',
  run: async ({ args, lang, composer, setLangOverride }) => {
    const choice = parseLangChoice(args);
    if (choice === undefined) {
      return {
        ...confirm(composer, lang, composer.text('langUsage', lang)),
        suggestions: OTHER_LANGS[lang].map((l) => ({ label: composer.text('langName', l), action: { type: 'lang', lang: l } })),
      };
    }
    await setLangOverride(choice);
    if (choice) return confirm(composer, choice, composer.text('langSet', choice));
    // Back to automatic: "/lang 自动" is confirmed in Simplified even under an English override;
    // a Latin keyword says nothing, so the chat's current language answers.
    const replyLang = (hasHan(args) && composer.writtenLang(args)) || lang;
    return confirm(composer, replyLang, composer.text('langAuto', replyLang));
  },
};
