import type { UiKey } from '../content/ui-schema.ts';
import type { ChatEvent } from '../protocol/event.ts';
import type { Reply } from '../protocol/reply.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import type { Reminders } from '../reminders/scheduler.ts';
import type { Lang } from '../text/script.ts';

export interface CommandContext {
  event: ChatEvent;
  /** The argument text, cleaned. */
  args: string;
  lang: Lang;
  composer: ReplyComposer;
  /** Answers a free question the way a plain message is answered (offline, or verified LLM). */
  ask(question: string): Promise<Reply>;
  /** Stores (or with null clears) this chat's language override. */
  setLangOverride(lang: Lang | null): Promise<void>;
  /** Scheduled reminders, when this bot runs them. */
  reminders?: Reminders;
  /** Whether the sender administers this chat, asked of the platform now (false when it cannot say). */
  isAdmin(): Promise<boolean>;
}

/** One command: its name and what it returns. Adapters register and render it. */
export interface Command {
  name: string;
  /** ui.yaml keys of the command's localized name (for platforms that show one) and description. */
  nameKey?: UiKey;
  descriptionKey: UiKey;
  /** The argument, if any, as adapters should offer it. */
  argument?: {
    name: string;
    descriptionKey?: UiKey;
    kind: 'text' | 'integer' | 'choice';
    required: boolean;
    choices?: readonly string[];
    min?: number;
    max?: number;
  };
  /**
   * Whether the argument tells the reader's language: 'prose' (a question) by default;
   * 'chinese-only' when it is mostly keywords, so only Chinese in it counts.
   */
  argumentLanguage?: 'prose' | 'chinese-only';
  run(ctx: CommandContext): Promise<Reply> | Reply;
}
