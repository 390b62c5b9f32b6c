/**
 * Composition root: config → logger → store → content → core → platforms.
 * With no platform token it opens the console chat on the same core.
 */

import { createApp } from '../src/bootstrap.ts';
import { runConsoleChat } from '../src/cli/chat.ts';
import { loadConfig } from '../src/config.ts';
import { describeStartupError } from '../src/errors.ts';

const CONNECT_HINT =
  'No platform token set: console chat. To connect Telegram set TELEGRAM_BOT_TOKEN, for Discord DISCORD_TOKEN (see .env.example). Type /quit to leave.';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config, { logDestination: process.stderr });
  const stop = async () => {
    await app.close();
  };
  process.once('SIGTERM', () => void stop().finally(() => process.exit(0)));
  if (config.telegramToken || config.discordToken) {
    app.logger.warn('platform adapters are not part of this version yet; opening the console chat instead');
  }
  await runConsoleChat({ core: app.core, input: process.stdin, output: process.stdout, banner: CONNECT_HINT });
  await stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${describeStartupError(error)}\n`);
  process.exitCode = 1;
});
