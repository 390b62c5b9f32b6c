import type { Writable } from 'node:stream';
import type { Config } from './config.ts';
import { loadContent } from './content/load.ts';
import { type Core, createCore } from './core/core.ts';
import { type Clock, systemClock } from './core/ports.ts';
import { createChatCompletionClient } from './llm/client.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, type Metrics } from './ops/metrics.ts';
import { ReplyComposer } from './qa/compose.ts';
import { createReminders, type Reminders } from './reminders/scheduler.ts';
import { openStore, type Store } from './store/store.ts';
import { createScriptConverter } from './text/convert.ts';

export interface App {
  config: Config;
  logger: Logger;
  store: Store;
  core: Core;
  /** Subscriptions and the tick; platforms register their posters when they start. */
  reminders: Reminders;
  metrics: Metrics;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Log destination; the CLI uses stderr so stdout carries only replies. */
  logDestination?: Writable;
  clock?: Clock;
}

/** Builds the platform-neutral part of the bot from a validated config. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const metrics = createMetrics();
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    secrets: [config.telegramToken, config.telegram.webhookSecret, config.discordToken, config.llm?.apiKey],
    destination: options.logDestination,
    onErrorLine: metrics.error,
  });
  const started = performance.now();
  const convert = createScriptConverter();
  const content = await loadContent(config.contentDir, config.articleId);
  const store = await openStore(config.storeUrl);
  const llm = config.llm
    ? { config: config.llm, client: createChatCompletionClient(config.llm, logger.child({ component: 'llm-client' })) }
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
  const core = createCore({ content, convert, composer, store, clock, logger, config, llm, reminders, observer: metrics.core });
  logger.debug(
    { ms: Math.round(performance.now() - started), store: store.backend, article: config.articleId, llm: config.llm?.model ?? 'off' },
    'core ready',
  );
  const close = async () => {
    await core.flush();
    await store.close();
  };
  return { config, logger, store, core, reminders, metrics, close };
}
