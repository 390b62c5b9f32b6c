/**
 * Composition root: config → logger → store → content → core → ops server → platforms →
 * scheduler, as ROLES says (default: every configured platform, and the scheduler with them).
 * With no platform configured it opens the console chat on the same core.
 */
import { createApp } from '../src/bootstrap.ts';
import { runConsoleChat } from '../src/cli/chat.ts';
import { loadConfig } from '../src/config.ts';
import { ConfigError, describeStartupError } from '../src/errors.ts';
import type { ReminderLoop } from '../src/reminders/loop.ts';
import type { RunningTransport } from './shared/lifecycle.ts';

const CONNECT_HINT =
  'No platform token set: console chat. To connect Telegram set TELEGRAM_BOT_TOKEN, for Discord DISCORD_TOKEN (see .env.example). Type /quit to leave.';

async function main(): Promise<void> {
  const config = loadConfig();
  const { roles } = config;
  if (roles.length === 0) {
    const app = await createApp(config, { logDestination: process.stderr });
    await runConsoleChat({ core: app.core, input: process.stdin, output: process.stdout, banner: CONNECT_HINT });
    await app.close();
    return;
  }
  // What only a running bot needs loads here, so the console chat starts without it.
  const [{ createMetrics }, { startOpsServer }, { startReminderLoop }, { registerStandalonePosters }, { waitForStartupSlot }] =
    await Promise.all([
      import('../src/ops/metrics.ts'),
      import('../src/ops/server.ts'),
      import('../src/reminders/loop.ts'),
      import('./posters.ts'),
      import('./startup-backoff.ts'),
    ]);
  const metrics = createMetrics();
  const app = await createApp(config, { logDestination: process.stdout, metrics });
  const { logger } = app;
  logger.info({ roles }, 'starting');
  const ops = await startOpsServer({
    port: config.port,
    logger,
    metrics,
    checks: { store: () => app.store.ping().then(() => true) },
  }).catch(async (error: unknown) => {
    await app.close();
    throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new ConfigError('PORT', `${config.port} is already in use`) : error;
  });
  // Restarting over and over (a crash loop under a restart policy) waits longer each time
  // before connecting to the platforms; /healthz answers meanwhile.
  await waitForStartupSlot(app.store, logger);
  const running: RunningTransport[] = [];
  let scheduler: ReminderLoop | undefined;
  let closePosters: () => Promise<void> = async () => undefined;
  const stopAll = async () => {
    // Stop taking updates and let replies under way finish, within the shutdown timeout.
    const timeout = new Promise<void>((r) => setTimeout(r, config.shutdownTimeoutMs).unref());
    await Promise.race([Promise.allSettled([...running.map((r) => r.stop()), scheduler?.stop()]), timeout]);
    await closePosters();
    await ops.close();
    await app.close();
  };

  try {
    // Each platform's library loads only when that platform runs here (memory, start-up).
    if (roles.includes('telegram')) {
      const telegram = await (await import('./telegram/index.ts')).startTelegram(app, ops);
      running.push(telegram);
      ops.check('telegram', telegram.ready);
    }
    if (roles.includes('discord')) {
      const discord = await (await import('./discord/index.ts')).startDiscord(app);
      running.push(discord);
      ops.check('discord', discord.ready);
    }
    if (roles.includes('scheduler')) {
      // A scheduler without a platform bot here posts through the platforms' HTTP APIs.
      closePosters = await registerStandalonePosters(app, logger, roles);
      scheduler = await startReminderLoop({
        reminders: app.reminders,
        store: app.store,
        logger: logger.child({ component: 'scheduler' }),
        tickMs: config.reminders.tickMs,
        onTick: (report) => app.metrics.reminders(report),
      });
      // Another running process holding a SQLite store's lease leaves this one answering
      // messages, with the scheduler on standby: ready, and /readyz says so.
      const loop = scheduler;
      ops.info('scheduler', () => {
        const status = loop.status;
        return status.state === 'standby' ? `standby: lease held by ${status.holder}` : undefined;
      });
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing replies under way');
    await stopAll();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  // A transport the platform stopped (conflict, bad token) ends the process with an error.
  if (running.length === 0) return;
  const outcome = await Promise.race(running.map((r) => r.done));
  if (!stopping && outcome !== 'stopped') {
    await stopAll();
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${describeStartupError(error)}\n`);
  process.exitCode = 1;
});
