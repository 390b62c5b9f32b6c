import type { UiKey } from '../content/ui-schema.ts';
import type { Reply } from '../protocol/reply.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import { langFromLocale } from './language.ts';

/**
 * Something a chat platform still offers from an older deploy: a slash command registered
 * before (removed or reshaped since), or a button or menu on an older reply.
 */
export type StaleKind = 'command' | 'component';

const KEYS: Record<StaleKind, UiKey> = { command: 'commandRemoved', component: 'buttonExpired' };

export interface StaleNoticeOptions {
  /** The platform shows commands under their localized names (Discord: /提問), so the notice names it so. */
  localizedCommandNames?: boolean;
}

/**
 * The short notice for a stale command or component. Only the platform's locale says the
 * language (there is no question to detect it from); English when it names none we write.
 * Marked silent: it is for the sender only, never posted to the chat.
 */
export function staleNotice(composer: ReplyComposer, kind: StaleKind, locale: string | undefined, options: StaleNoticeOptions = {}): Reply {
  const lang = langFromLocale(locale) ?? 'en';
  const ask = `/${options.localizedCommandNames ? composer.text('nameAsk', lang) : 'ask'}`;
  return {
    kind: 'refused',
    lang,
    blocks: [{ type: 'paragraph', text: composer.text(KEYS[kind], lang, { ask }) }],
    citations: [],
    suggestions: [],
    source: 'offline',
    silent: true,
  };
}
