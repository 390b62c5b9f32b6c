import { COMMANDS, type Command } from '../commands/index.ts';
import type { Content } from '../content/load.ts';
import type { Logger } from '../logger.ts';
import { type Answerer, createAnswerer } from '../qa/answer.ts';
import { ReplyComposer } from '../qa/compose.ts';
import type { KeyValue, Store } from '../store/store.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { cleanText } from '../text/normalize.ts';
import type { Lang } from '../text/script.ts';
import { chooseLang } from './language.ts';
import type { Clock } from './ports.ts';
import type { ChatEvent, Reply } from './types.ts';

/** Questions longer than this are cut before matching: no real question needs more, and it bounds the work. */
export const MAX_QUESTION_CHARS = 2000;

export interface CoreDeps {
  content: Content;
  convert: ScriptConverter;
  store: Store;
  clock: Clock;
  logger: Logger;
  config: { contextTtlMs: number };
}

/** The previous turn of a chat, kept for follow-ups ("why?", "the second one?"). */
interface ChatContext {
  entryId?: string;
  lang: Lang;
  at: number;
}

interface ChatSettings {
  lang?: Lang;
}

export interface Core {
  handle(event: ChatEvent): Promise<Reply>;
  readonly commands: readonly Command[];
  readonly composer: ReplyComposer;
  readonly answerer: Answerer;
}

export function createCore(deps: CoreDeps): Core {
  const { content, convert, store, clock, config } = deps;
  const composer = new ReplyComposer(content, convert);
  const answerer = createAnswerer(content, convert, composer);
  const contexts: KeyValue<ChatContext> = store.namespace('context');
  const settings: KeyValue<ChatSettings> = store.namespace('chat-settings');
  const commands = new Map(COMMANDS.map((c) => [c.name, c]));

  async function handle(event: ChatEvent): Promise<Reply> {
    const key = `${event.platform}:${event.chatId}`;
    const [previous, chatSettings] = await Promise.all([contexts.get(key), settings.get(key)]);
    const cleaned = cleanText(event.text);
    const chars = Array.from(cleaned);
    const truncated = chars.length > MAX_QUESTION_CHARS;
    const text = truncated ? chars.slice(0, MAX_QUESTION_CHARS).join('') : cleaned;
    const lang = chooseLang(
      { text, override: chatSettings?.lang, hint: event.langHint, locale: event.locale, previous: previous?.lang },
      convert,
    );

    let reply: Reply;
    const command = event.command ? commands.get(event.command) : undefined;
    const followEntry = event.entryId ? composer.entries.get(event.entryId) : undefined;
    if (command) {
      reply = await command.run({
        event,
        args: text,
        lang,
        composer,
        answerer,
        previousEntryId: previous?.entryId,
        setLangOverride: async (choice) => settings.set(key, choice ? { ...chatSettings, lang: choice } : {}),
      });
    } else if (followEntry) {
      reply = composer.fromEntry(followEntry, lang);
    } else {
      reply = answerer.answer({ text, lang, previousEntryId: previous?.entryId }).reply;
    }
    if (truncated) reply = composer.notice(reply, composer.ui('inputTruncated', reply.lang, { limit: MAX_QUESTION_CHARS }));
    await contexts.set(key, { entryId: reply.entryId ?? previous?.entryId, lang: reply.lang, at: clock.now() }, config.contextTtlMs);
    return reply;
  }

  return { handle, commands: COMMANDS, composer, answerer };
}
