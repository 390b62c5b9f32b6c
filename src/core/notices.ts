import type { UiKey } from '../content/ui-schema.ts';
import type { Lang } from '../protocol/lang.ts';
import type { Reply } from '../protocol/reply.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import { langFromLocale } from '../text/language.ts';

/**
 * Something a chat platform still offers from an older deploy: a command registered before
 * (removed or reshaped since), or a button on an older reply (or a forged one).
 */
export type StaleKind = 'command' | 'component';

const STALE_KEYS: Record<StaleKind, UiKey> = { command: 'commandRemoved', component: 'buttonExpired' };

/**
 * A notice answers no question, so only the platform's locale says its language: a locale the
 * bot does not write (fr, ja) is a reader of neither Chinese script, so English; no locale at
 * all, the article's own script.
 */
export function noticeLang(locale: string | undefined): Lang {
  return langFromLocale(locale) ?? (locale ? 'en' : 'zh-Hant');
}

/**
 * The replies the bot makes that answer no question — apology, stale button or command, slow
 * down, group introduction — built once here from content/ui.yaml, the same on every platform.
 */
export function createNotices(composer: ReplyComposer) {
  const line = (text: string, lang: Lang, kind: Reply['kind'] = 'refused'): Reply => ({
    kind,
    lang,
    blocks: [{ type: 'paragraph', text }],
    citations: [],
    suggestions: [],
    source: 'offline',
  });
  return {
    /** Something failed while answering: for the sender only, where the platform can say so privately. */
    apology: (lang: Lang): Reply => ({ ...line(composer.text('apology', lang), lang), private: true }),
    /**
     * A stale command or button: said to the sender alone, never posted to the chat. A platform
     * that lists commands under localized names (Discord: /提問) has the notice name it so.
     */
    stale: (kind: StaleKind, lang: Lang, localizedCommandNames = false): Reply => {
      const ask = `/${localizedCommandNames ? composer.text('nameAsk', lang) : 'ask'}`;
      return { ...line(composer.text(STALE_KEYS[kind], lang, { ask }), lang), silent: true, private: true };
    },
    /** The one notice a flooding sender gets; `silent` once they have had it. */
    slowDown: (lang: Lang, silent: boolean): Reply => ({ ...line(composer.text('slowDown', lang), lang), ...(silent ? { silent } : {}) }),
    /** Added to a group: what the bot answers, and how to address it there. */
    groupIntro: (lang: Lang): Reply => ({
      ...line(composer.text('groupIntro', lang), lang, 'clarify'),
      suggestions: composer.defaultSuggestions(lang),
    }),
  };
}

export type Notices = ReturnType<typeof createNotices>;
