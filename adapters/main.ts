/**
 * Composition root: config → logger → store → content → core → platforms.
 * With no platform token it opens the console chat on the same core.
 */
import { createApp } from '../src/bootstrap.ts';
import { runConsoleChat } from '../src/cli/chat.ts';
import { loadConfig } from '../src/config.ts';
import { describeStartupError } from '../src/errors.ts';
import { startReminderLoop } from '../src/reminders/loop.ts';
import type { RunningTransport } from './telegram/transport.ts';

const CONNECT_HINT =
  'No platform token set: console chat. To connect Telegram set TELEGRAM_BOT_TOKEN, for Discord DISCORD_TOKEN (see .env.example). Type /quit to leave.';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config, { logDestination: config.telegramToken || config.discordToken ? process.stdout : process.stderr });
  if (!config.telegramToken && !config.discordToken) {
    await runConsoleChat({ core: app.core, input: process.stdin, output: process.stdout, banner: CONNECT_HINT });
    await app.close();
    return;
  }

  const running: RunningTransport[] = [];
  // Each platform's library loads only when that platform is configured (memory, start-up).
  if (config.telegramToken) running.push(await (await import('./telegram/index.ts')).startTelegram(app));
  if (config.discordToken) running.push(await (await import('./discord/index.ts')).startDiscord(app));
  // After the platforms, which register how reminders reach their chats.
  const scheduler = config.reminders.enabled
    ? await startReminderLoop({
        reminders: app.reminders,
        store: app.store,
        logger: app.logger.child({ component: 'scheduler' }),
        tickMs: config.reminders.tickMs,
      }).catch(async (error: unknown) => {
        await Promise.allSettled(running.map((r) => r.stop()));
        await app.close();
        throw error;
      })
    : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    await Promise.allSettled([...running.map((r) => r.stop()), scheduler?.stop()]);
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  // A transport that Telegram stopped (conflict, bad token) ends the process with an error.
  const outcome = await Promise.race(running.map((r) => r.done));
  if (!stopping && outcome !== 'stopped') {
    await Promise.allSettled([...running.map((r) => r.stop()), scheduler?.stop()]);
    await app.close();
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${describeStartupError(error)}\n`);
  process.exitCode = 1;
});
