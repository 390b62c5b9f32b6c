import type { Command } from '../commands/command.ts';
import type { UiKey } from '../content/ui-schema.ts';
import type { Logger } from '../logger.ts';
import type { ChatEvent, PlatformName } from '../protocol/event.ts';
import type { Lang } from '../protocol/lang.ts';
import type { FailureReport, Platform, Turn } from '../protocol/platform.ts';
import type { Reply } from '../protocol/reply.ts';
import type { Reminders } from '../reminders/scheduler.ts';
import type { Core } from './core.ts';
import { noticeLang } from './notices.ts';

/**
 * What an adapter sees of the bot: it hands each event over with the turn that answers it, and
 * reads what it shows outside replies (command list, labels, autocomplete). Nothing of the
 * answering itself (understanding, the LLM, the composer) is reachable from here.
 */
export interface Conversation {
  /** Answers one event through its turn. Never throws: failures are logged and apologised for here. */
  receive(event: ChatEvent, turn: Turn): Promise<void>;
  /** A platform is up: its limits apply to its replies, and scheduled posts go through its poster. */
  attach(platform: Platform): void;
  /** A chat changed id (Telegram group → supergroup): its settings, context and subscriptions move. */
  migrateChat(platform: PlatformName, fromChatId: string, toChatId: string): Promise<void>;
  /** The command registry, in the order platforms list it. */
  readonly commands: readonly Command[];
  /** A text of content/ui.yaml (command descriptions, language labels). */
  text(key: UiKey, lang: Lang, vars?: Record<string, string | number>): string;
  /** The article's title (a footer under replies). */
  articleTitle(lang: Lang): string;
  /** Questions the bot answers that start like what is typed (autocomplete). */
  suggestQuestions(typed: string, lang: Lang, limit: number): string[];
}

export interface ConversationDeps {
  core: Core;
  logger: Logger;
  /** Scheduled reminders; attached platforms post them. */
  reminders?: Reminders;
}

const UNKNOWN_FAILURE: FailureReport = { kind: 'handler', apologise: true };

/** Keeps a reply's buttons within what the platform shows under one message. */
function fitted(reply: Reply, platform: Platform | undefined): Reply {
  const max = platform?.limits.buttons;
  return max !== undefined && reply.suggestions.length > max ? { ...reply, suggestions: reply.suggestions.slice(0, max) } : reply;
}

/** The conversation loop: event → the core's decision → Reply → the platform, with one error boundary. */
export function createConversation({ core, logger, reminders }: ConversationDeps): Conversation {
  const platforms = new Map<PlatformName, Platform>();

  async function answer(event: ChatEvent, turn: Turn, platform: Platform | undefined): Promise<Reply> {
    const reply = fitted(
      await core.handle(event, {
        onSlowWork: () => turn.typing(),
        isAdmin: () => turn.isAdmin(),
        localizedCommandNames: platform?.localizedCommandNames,
      }),
      platform,
    );
    await (reply.silent ? turn.notify(reply) : turn.post(reply));
    return reply;
  }

  async function fail(event: ChatEvent, turn: Turn, platform: Platform | undefined, error: unknown): Promise<void> {
    const report = platform?.describeFailure(error) ?? UNKNOWN_FAILURE;
    const where = { platform: event.platform, chat: event.chatId, request: turn.requestId, kind: report.kind, err: error };
    if (report.expected) logger.warn(where, `${event.platform}: could not answer (${report.kind})`);
    else logger.error(where, `${event.platform}: answering failed`);
    if (!report.apologise) return;
    const apology = core.notices.apology(event.langHint ?? noticeLang(event.locale));
    // The apology may meet the same fault (a channel we may not post in): it is not retried.
    await turn.post(apology).catch((second: unknown) => logger.debug({ err: second }, `${event.platform}: apology not delivered`));
  }

  return {
    async receive(event, turn) {
      const platform = platforms.get(event.platform);
      try {
        const reply = await answer(event, turn, platform);
        // A child logger per event costs a redaction pass over its bindings: made only when it will write.
        if (logger.isLevelEnabled('debug'))
          logger
            .child({ platform: event.platform, chat: event.chatId, request: turn.requestId })
            .debug({ kind: reply.kind, source: reply.source, silent: reply.silent === true }, `${event.platform}: answered`);
      } catch (error) {
        await fail(event, turn, platform, error);
      }
    },
    attach(platform) {
      platforms.set(platform.name, platform);
      if (platform.poster && reminders && (platform.name === 'telegram' || platform.name === 'discord'))
        reminders.usePoster(platform.name, platform.poster);
    },
    async migrateChat(platform, from, to) {
      await core.migrateChat(platform, from, to);
      if (platform === 'telegram' || platform === 'discord') await reminders?.migrate(platform, from, to);
    },
    commands: core.commands,
    text: (key, lang, vars) => core.composer.text(key, lang, vars),
    articleTitle: (lang) => core.composer.content.knowledge.title[lang],
    suggestQuestions: (typed, lang, limit) => core.answerer.suggest(typed, lang, limit),
  };
}
