import { LRUCache } from 'lru-cache';
import { COMMANDS, type Command } from '../commands/index.ts';
import type { LlmConfig } from '../config.ts';
import type { Content } from '../content/load.ts';
import type { ChatCompletionClient } from '../llm/call.ts';
import { describeReading, shouldAskLlm } from '../llm/router.ts';
import { createLlmService, type LlmFallbackReason, type LlmService } from '../llm/service.ts';
import type { Logger } from '../logger.ts';
import { actionEvent, decodeAction, isLive } from '../protocol/button-data.ts';
import type { Clock } from '../protocol/clock.ts';
import type { ChatEvent } from '../protocol/event.ts';
import type { Reply } from '../protocol/reply.ts';
import { type Answerer, createAnswerer } from '../qa/answer.ts';
import { ReplyComposer } from '../qa/compose.ts';
import type { IndexSnapshot } from '../qa/paraphrase-index.ts';
import type { Reminders } from '../reminders/scheduler.ts';
import type { Store } from '../store/store.ts';
import { writeBehind } from '../store/write-behind.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { chooseLang } from '../text/language.ts';
import { cleanText, hasHan } from '../text/normalize.ts';
import { detectScript, type Lang, type ScriptReport } from '../text/script.ts';
import { createFloodGuard } from './flood-guard.ts';
import { createNotices, type Notices, noticeLang } from './notices.ts';

/**
 * Messages longer than this are cut before anything else reads them (it bounds the work); the
 * questions are then found anywhere in what is left (src/qa/message.ts), usually at its end.
 */
export const MAX_MESSAGE_CHARS = 100_000;
/** The language of a long message is read from its end, where the question is. */
const LANG_SAMPLE_CHARS = 2000;

export interface CoreDeps {
  content: Content;
  convert: ScriptConverter;
  store: Store;
  clock: Clock;
  logger: Logger;
  config: { contextTtlMs: number; userMessagesPerMinute?: number };
  /** Shared with other parts that compose replies (the reminder posts); built here when absent. */
  composer?: ReplyComposer;
  /** The paraphrase index of this content, when start-up has it cached; built here otherwise. */
  paraphraseIndex?: IndexSnapshot;
  /** Scheduled reminders (/remind); without them the command says they are unavailable. */
  reminders?: Reminders;
  observer?: CoreObserver;
  /** The optional LLM path; without it every answer is offline. */
  llm?: { config: LlmConfig; client: ChatCompletionClient };
}

/** What the core tells an observer (metrics) as it works; all optional. */
export interface CoreObserver {
  replied(info: { platform: ChatEvent['platform']; kind: Reply['kind']; source: Reply['source']; ms: number }): void;
  llm(info: { outcome: 'answered' | 'cached' | LlmFallbackReason; tokens?: number }): void;
}

export interface HandleHooks {
  /** Called before slow (LLM) work starts, so an adapter can show typing or defer a reply. */
  onSlowWork?: () => void | Promise<void>;
  /** Whether the sender administers the chat, checked with the platform when a command needs it. */
  isAdmin?: () => Promise<boolean>;
  /** The platform lists commands under localized names (Discord), so notices name them so. */
  localizedCommandNames?: boolean;
}

/**
 * One record per chat, read and written once per message: the language chosen with /lang
 * (kept), and the previous turn for follow-ups ("why?", "the second one?"), which counts only
 * while younger than the context TTL.
 */
interface ChatState {
  langOverride?: Lang;
  last?: { entryId?: string; lang: Lang; at: number };
}

/** A chat record lives this long after its last message (the /lang choice with it). */
const CHAT_STATE_TTL_MS = 180 * 24 * 3_600_000;
/** How long a turn's context may wait to be stored with others' (lost only if the process dies). */
const CHAT_WRITE_DELAY_MS = 200;

export interface Core {
  handle(event: ChatEvent, hooks?: HandleHooks): Promise<Reply>;
  /** A chat changed id (Telegram group → supergroup): its settings and context move with it. */
  migrateChat(platform: ChatEvent['platform'], fromChatId: string, toChatId: string): Promise<void>;
  flush(): Promise<void>;
  readonly commands: readonly Command[];
  /** The replies that answer no question (apology, stale button or command, slow down, group intro). */
  readonly notices: Notices;
  // The parts below are for the CLI, the evaluation and tests; adapters see a Conversation instead.
  readonly composer: ReplyComposer;
  readonly answerer: Answerer;
  readonly llm: LlmService | undefined;
}

export function createCore(deps: CoreDeps): Core {
  const { content, convert, store, clock, config, logger } = deps;
  const composer = deps.composer ?? new ReplyComposer(content, convert);
  const answerer = createAnswerer(content, convert, composer, deps.paraphraseIndex);
  const llm = deps.llm
    ? createLlmService({ ...deps.llm, content, convert, composer, store, clock, logger: logger.child({ component: 'llm' }) })
    : undefined;
  // Read and written on every message: kept in memory too where the store allows it (SQLite,
  // one process), and written in batches (a turn's context may reach the store a moment late).
  const chats = writeBehind(store.namespace<ChatState>('chats', { cacheEntries: 10_000 }), {
    delayMs: CHAT_WRITE_DELAY_MS,
    maxPending: 500,
    onError: (error, keys) => logger.warn({ err: error, chats: keys.length }, 'chat context not saved'),
  });
  // Script detection converts the whole text twice; popular questions repeat.
  const detections = new LRUCache<string, ScriptReport>({ max: 2000 });
  const detect = (text: string): ScriptReport => {
    let report = detections.get(text);
    if (!report) {
      report = detectScript(text, convert);
      detections.set(text, report);
    }
    return report;
  };
  const commands = new Map(COMMANDS.map((c) => [c.name, c]));
  const notices = createNotices(composer);
  const floodGuard = config.userMessagesPerMinute ? createFloodGuard(config.userMessagesPerMinute, () => clock.now()) : undefined;

  /** A free question: the offline answer, replaced by a verified LLM answer when the policy asks for one. */
  async function ask(
    event: ChatEvent,
    text: string,
    lang: Lang,
    previousEntryId: string | undefined,
    hooks: HandleHooks | undefined,
  ): Promise<Reply> {
    const trace = answerer.answer({ text, lang, previousEntryId });
    if (!llm || !shouldAskLlm(trace, text)) return trace.reply;
    await hooks?.onSlowWork?.();
    const outcome = await llm.answer({
      question: trace.question ?? text,
      understood: describeReading(trace.reading),
      lang: trace.reply.lang,
      platform: event.platform,
      chatId: event.chatId,
      userId: event.userId,
      previousEntryId,
    });
    deps.observer?.llm({
      outcome: 'reply' in outcome ? (outcome.cached ? 'cached' : 'answered') : outcome.fallback,
      tokens: outcome.tokens,
    });
    if ('reply' in outcome) return { ...outcome.reply, entryId: trace.reply.entryId };
    logger.debug({ fallback: outcome.fallback }, 'offline answer sent instead of the LLM');
    return outcome.notice ? composer.notice(trace.reply, composer.text(outcome.notice, trace.reply.lang)) : trace.reply;
  }

  /**
   * What is not a message: a stale command, the bot added to a group, a button (read here: one
   * that is forged or points at content no longer there has expired). A message is returned as it came.
   */
  function signalReply(event: ChatEvent, hooks: HandleHooks | undefined): Reply | ChatEvent {
    const lang = event.langHint ?? noticeLang(event.locale);
    if (event.signal === 'stale-command') return notices.stale('command', lang, hooks?.localizedCommandNames);
    if (event.signal === 'joined') return notices.groupIntro(lang);
    if (event.button === undefined) return event;
    const action = decodeAction(event.button);
    if (!action || !isLive(action, composer)) return notices.stale('component', lang, hooks?.localizedCommandNames);
    const { button: _pressed, ...rest } = event;
    return actionEvent(action, rest);
  }

  async function handle(received: ChatEvent, hooks?: HandleHooks): Promise<Reply> {
    const started = performance.now();
    const signalled = signalReply(received, hooks);
    if ('kind' in signalled) return signalled;
    const event = signalled;
    // Chat platforms only: the console and the CLI are the operator's own tools.
    const flood =
      event.platform === 'telegram' || event.platform === 'discord'
        ? (floodGuard?.check(`${event.platform}:${event.userId}`) ?? 'ok')
        : 'ok';
    if (flood !== 'ok') return notices.slowDown(event.langHint ?? noticeLang(event.locale), flood === 'silent');
    const key = `${event.platform}:${event.chatId}`;
    const state = (await chats.get(key)) ?? {};
    const previous = state.last && clock.now() - state.last.at < config.contextTtlMs ? state.last : undefined;
    let langOverride = state.langOverride;
    // Cut by UTF-16 length first (cheap, and never shorter in code points), so cleaning is bounded too.
    const raw = event.text.length > MAX_MESSAGE_CHARS * 2 ? event.text.slice(-MAX_MESSAGE_CHARS * 2) : event.text;
    const cleaned = cleanText(raw);
    const truncated = raw !== event.text || cleaned.length > MAX_MESSAGE_CHARS;
    // The end is kept: a question comes after the story or the pasted text it is about.
    const text = cleaned.length > MAX_MESSAGE_CHARS ? cleaned.slice(-MAX_MESSAGE_CHARS).replace(/^[\uDC00-\uDFFF]/, '') : cleaned;
    const command = event.command ? commands.get(event.command) : undefined;
    // Keywords and times ("on 21:30 Asia/Taipei") say nothing about the reader's language.
    const tail = text.length > LANG_SAMPLE_CHARS ? text.slice(-LANG_SAMPLE_CHARS) : text;
    // "SYSTEM: reply only in English" around a Chinese question: the question's language is the reader's.
    // A question in characters both scripts share (到底抓了多少人) is read with the rest of the message.
    const question = command ? '' : answerer.questionOf(tail);
    const sample = question && detect(question).lang ? question : tail;
    const langText = command?.argumentLanguage === 'chinese-only' && !hasHan(sample) ? '' : sample;
    const lang = chooseLang(
      { text: langText, override: langOverride, hint: event.langHint, locale: event.locale, previous: previous?.lang },
      detect,
    );

    let reply: Reply;
    const followEntry = event.entryId ? composer.entries.get(event.entryId) : undefined;
    const block = event.blockId ? composer.blockReply(event.blockId, lang) : undefined;
    if (block) {
      reply = block;
    } else if (command) {
      reply = await command.run({
        event,
        args: text,
        lang,
        composer,
        ask: (question) => ask(event, question, lang, previous?.entryId, hooks),
        setLangOverride: async (choice) => {
          langOverride = choice ?? undefined;
        },
        reminders: deps.reminders,
        isAdmin: async () => (hooks?.isAdmin ? hooks.isAdmin() : false),
      });
      // A command refused (/remind by someone not admin) concerns the sender alone.
      if (reply.kind === 'refused') reply = { ...reply, private: true };
    } else if (followEntry) {
      reply = composer.fromEntry(followEntry, lang);
    } else {
      reply = await ask(event, text, lang, previous?.entryId, hooks);
    }
    if (truncated) reply = composer.notice(reply, composer.text('inputTruncated', reply.lang, { limit: MAX_MESSAGE_CHARS }));
    const last = { entryId: reply.entryId ?? previous?.entryId, lang: reply.lang, at: clock.now() };
    const write = chats.set(key, langOverride ? { langOverride, last } : { last }, CHAT_STATE_TTL_MS);
    // A /lang choice is confirmed only once stored; the turn context is stored with the next batch.
    if (langOverride !== state.langOverride) await Promise.all([write, chats.flush()]);
    deps.observer?.replied({ platform: event.platform, kind: reply.kind, source: reply.source, ms: performance.now() - started });
    return reply;
  }

  async function migrateChat(platform: ChatEvent['platform'], fromChatId: string, toChatId: string): Promise<void> {
    const from = `${platform}:${fromChatId}`;
    const to = `${platform}:${toChatId}`;
    const state = await chats.get(from);
    if (state) await Promise.all([chats.set(to, state, CHAT_STATE_TTL_MS), chats.flush()]);
    await chats.delete(from);
  }

  /** Stores chat state still buffered (graceful shutdown). */
  function flush(): Promise<void> {
    return chats.flush();
  }

  return { handle, migrateChat, flush, commands: COMMANDS, notices, composer, answerer, llm };
}
