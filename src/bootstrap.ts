import type { Writable } from 'node:stream';
import type { Config } from './config.ts';
import { compiledContentCacheDir, loadContentCached } from './content/cache.ts';
import { type Conversation, createConversation } from './core/conversation.ts';
import { type Core, createCore } from './core/core.ts';
import { createLogger, type Logger } from './logger.ts';
import { createSilentRecorder, type MetricsRecorder } from './ops/recorder.ts';
import { type Clock, systemClock } from './protocol/clock.ts';
import { ReplyComposer } from './qa/compose.ts';
import { INDEX_MODULES, snapshotOf } from './qa/paraphrase-index.ts';
import { createMatchFold } from './qa/reading.ts';
import { createReminders, type Reminders } from './reminders/scheduler.ts';
import { openStore, type Store } from './store/store.ts';
import { createScriptConverter } from './text/convert.ts';
import { foldForMatch } from './text/fold.ts';

export interface App {
  config: Config;
  logger: Logger;
  store: Store;
  core: Core;
  /** What adapters see: the conversation loop over the core. */
  conversation: Conversation;
  /** Subscriptions and the tick; platforms attached to the conversation post them. */
  reminders: Reminders;
  metrics: MetricsRecorder;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Log destination; the CLI uses stderr so stdout carries only replies. */
  logDestination?: Writable;
  clock?: Clock;
  /**
   * A folder for content validated once per version of it; default dist/.content-cache when
   * compiled, none under tsx (content validated at every start).
   */
  contentCacheDir?: string;
  /** Where the running parts report; the ops server passes its Prometheus metrics, others record nothing. */
  metrics?: MetricsRecorder;
}

/** Builds the platform-neutral part of the bot from a validated config. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const metrics = options.metrics ?? createSilentRecorder();
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    secrets: [config.telegramToken, config.telegram.webhookSecret, config.discordToken, config.llm?.apiKey],
    destination: options.logDestination,
    onErrorLine: metrics.error,
  });
  const started = performance.now();
  const convert = createScriptConverter();
  const { content, derived: paraphraseIndex } = await loadContentCached(
    config.contentDir,
    config.articleId,
    options.contentCacheDir ?? compiledContentCacheDir(),
    {
      modules: INDEX_MODULES,
      compute: (c) =>
        snapshotOf(
          c.knowledge.entries,
          createMatchFold(c.language, (text) => foldForMatch(text, convert)),
        ),
    },
  );
  const store = await openStore(config.storeUrl);
  // The OpenAI SDK is among the costliest imports: loaded only with an endpoint configured.
  const llm = config.llm
    ? {
        config: config.llm,
        client: (await import('./llm/client.ts')).createChatCompletionClient(config.llm, logger.child({ component: 'llm-client' })),
      }
    : undefined;
  const clock = options.clock ?? systemClock;
  const composer = new ReplyComposer(content, convert);
  const reminders = createReminders({
    content,
    composer,
    store,
    clock,
    logger: logger.child({ component: 'reminders' }),
    graceMs: config.reminders.graceMs,
    concurrency: config.reminders.concurrency,
  });
  const core = createCore({
    content,
    paraphraseIndex,
    convert,
    composer,
    store,
    clock,
    logger,
    config,
    llm,
    reminders,
    observer: metrics.core,
  });
  logger.debug(
    { ms: Math.round(performance.now() - started), store: store.backend, article: config.articleId, llm: config.llm?.model ?? 'off' },
    'core ready',
  );
  const conversation = createConversation({ core, logger, reminders });
  const close = async () => {
    await core.flush();
    await store.close();
  };
  return { config, logger, store, core, conversation, reminders, metrics, close };
}
