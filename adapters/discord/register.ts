/**
 * `npm run discord:register`: one bulk overwrite of the slash commands — to DISCORD_GUILD_ID
 * when set (instant, for development), else globally. Running it again changes nothing.
 */
import { REST, Routes } from 'discord.js';
import { commandsOf } from '../../src/commands/index.ts';
import { loadConfig } from '../../src/config.ts';
import { loadContent } from '../../src/content/load.ts';
import { AppError, describeStartupError } from '../../src/errors.ts';
import { slashCommands } from './commands.ts';

export async function registerDiscordCommands(): Promise<{ scope: string; count: number }> {
  const config = loadConfig();
  const token = config.discordToken;
  if (!token) throw new AppError('CONFIG_INVALID', 'DISCORD_TOKEN: required to register commands');
  const content = await loadContent(config.contentDir, config.articleId);
  // Names and descriptions are plain texts of content/ui.yaml: no reply is composed here.
  const body = slashCommands(commandsOf(), { text: (key, lang) => content.ui[key][lang] });
  const rest = new REST({ api: config.discord.apiBase }).setToken(token);
  const applicationId = config.discord.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const { guildId } = config.discord;
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const result = (await rest.put(route, { body })) as unknown[];
  return { scope: guildId ? `server ${guildId}` : 'global', count: result.length };
}

const isMain = process.argv[1]?.endsWith('register.ts') || process.argv[1]?.endsWith('register.js');
if (isMain) {
  registerDiscordCommands().then(
    ({ scope, count }) => process.stdout.write(`discord: ${count} commands registered (${scope})\n`),
    (error: unknown) => {
      process.stderr.write(`${describeStartupError(error)}\n`);
      process.exitCode = 1;
    },
  );
}
