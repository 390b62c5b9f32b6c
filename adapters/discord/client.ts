import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  Options,
  type RepliableInteraction,
} from 'discord.js';
import type { DiscordConfig } from '../../src/config.ts';
import type { Conversation } from '../../src/core/conversation.ts';
import type { Logger } from '../../src/logger.ts';
import type { ChatEvent } from '../../src/protocol/event.ts';
import { langFromLocale } from '../../src/text/language.ts';
import { createInFlight, type InFlight } from '../shared/lifecycle.ts';
import { discordShapeOf, isCurrentCommand, slashCommands } from './commands.ts';
import { discordPlatform, interactionTurn } from './platform.ts';
import type { Subcommand } from './remind.ts';
import { discordRenderer } from './render.ts';
import { baseEvent, commandToEvent, type InteractionFacts, subcommandText } from './to-event.ts';

const AUTOCOMPLETE_CHOICES = 25;

export interface DiscordBotDeps {
  token: string;
  config: DiscordConfig;
  conversation: Conversation;
  logger: Logger;
  /** Interactions under way are tracked here, so a graceful shutdown can let them finish. */
  inFlight?: InFlight;
}

const facts = (i: Interaction): InteractionFacts => ({ channelId: i.channelId, userId: i.user.id, guildId: i.guildId, locale: i.locale });

/** The sub-command used, for a command with a Discord shape (/remind on …). */
const subcommandOf = (interaction: ChatInputCommandInteraction | AutocompleteInteraction): Subcommand | undefined =>
  discordShapeOf(interaction.commandName)?.subcommands.find((s) => s.name === interaction.options.getSubcommand(false));

/** A slash command as a core event: its one option, or its sub-command and that one's options in order. */
function chatInputEvent(interaction: ChatInputCommandInteraction): ChatEvent {
  const sub = subcommandOf(interaction);
  if (sub) {
    const values = sub.options.map((o) => {
      const value = interaction.options.getString(o.name);
      return value !== null && o.normalize ? o.normalize(value) : value;
    });
    return commandToEvent(facts(interaction), interaction.commandName, subcommandText(sub.name, values));
  }
  const option = interaction.options.data[0];
  const argument = option?.value === undefined ? null : (option.value as string | number);
  return commandToEvent(facts(interaction), interaction.commandName, argument);
}

/** Keeps the client's own user and member: discord.js reads them (`guild.members.me`), and they are one each. */
const isSelf = (entry: { id: string; client: Client }) => entry.id === entry.client.user?.id;

/**
 * discord.js caches what it sees; our code reads none of it. It answers interactions from their
 * payload (user, locale, `memberPermissions`, channel id) and posts reminders over REST by
 * channel id. Without limits every interacting user and member, and every message whose button
 * was pressed (up to 200 per channel), would stay in memory. Guilds, their channels and roles
 * (from GUILD_CREATE, bounded by the servers the bot is in) are kept: discord.js works on them
 * and they cost little.
 */
const CACHE_LIMITS = Options.cacheWithLimits({
  UserManager: { maxSize: 0, keepOverLimit: isSelf },
  GuildMemberManager: { maxSize: 0, keepOverLimit: isSelf },
  // Also the guild and DM message managers, which discord.js builds as MessageManager caches.
  MessageManager: 0,
  PresenceManager: 0,
  ReactionManager: 0,
  ReactionUserManager: 0,
  VoiceStateManager: 0,
  ThreadMemberManager: 0,
  GuildStickerManager: 0,
  GuildEmojiManager: 0,
  BaseGuildEmojiManager: 0,
  ApplicationEmojiManager: 0,
  GuildInviteManager: 0,
  StageInstanceManager: 0,
  GuildBanManager: 0,
  GuildScheduledEventManager: 0,
  AutoModerationRuleManager: 0,
});

/** The discord.js client: each interaction becomes a neutral event, handed to the conversation with the turn that answers it. */
export function createDiscordClient({ config, conversation, logger, inFlight = createInFlight() }: DiscordBotDeps): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.apiBase },
    makeCache: CACHE_LIMITS,
    // The limited caches hold the bot alone; threads (the Guilds intent brings thread events)
    // are kept by discord.js, so archived ones go hourly once archived an hour (default: 4 h).
    sweepers: { ...Options.DefaultSweeperSettings, threads: { interval: 3600, lifetime: 3600 } },
  });
  // Reminders go out over the client's REST (its rate limits shared with the replies).
  conversation.attach(discordPlatform(client.rest, conversation));
  const render = discordRenderer(conversation);
  // What we register now: an interaction with another command or option shape comes from an older registration.
  const registered = slashCommands(conversation.commands, conversation);

  async function receive(interaction: RepliableInteraction, event: ChatEvent): Promise<void> {
    const turn = interactionTurn(interaction, render);
    try {
      await conversation.receive(event, turn);
    } finally {
      turn.settle();
    }
  }

  async function autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const lang = langFromLocale(interaction.locale) ?? 'en';
    const focused = interaction.options.getFocused(true);
    const typed = String(focused.value ?? '');
    const suggest = subcommandOf(interaction)?.options.find((o) => o.name === focused.name)?.suggest;
    if (suggest) {
      await interaction.respond(suggest(typed, AUTOCOMPLETE_CHOICES));
      return;
    }
    const choices = conversation.suggestQuestions(typed, lang, AUTOCOMPLETE_CHOICES).map((q) => {
      const name = Array.from(q).slice(0, 100).join('');
      return { name, value: name };
    });
    await interaction.respond(choices);
  }

  /** A command this deploy does not have, or a component it did not send: the core tells the sender privately. */
  function stale(interaction: RepliableInteraction, event: ChatEvent): Promise<void> {
    const name = interaction.isCommand() ? interaction.commandName : interaction.isMessageComponent() ? interaction.customId : undefined;
    logger.info({ interaction: interaction.id, name: name?.slice(0, 100) }, 'discord: stale command or component');
    return receive(interaction, event);
  }

  const current = (interaction: ChatInputCommandInteraction | AutocompleteInteraction, partial = false) =>
    isCurrentCommand(registered, { name: interaction.commandName, options: interaction.options.data }, { partial });

  async function handleInteraction(interaction: Interaction): Promise<void> {
    // Suggestions for a stale command would be for options it no longer has: none.
    if (interaction.isAutocomplete()) return current(interaction, true) ? autocomplete(interaction) : interaction.respond([]);
    if (!interaction.isRepliable()) return;
    const base = baseEvent(facts(interaction));
    if (interaction.isChatInputCommand() && current(interaction)) return receive(interaction, chatInputEvent(interaction));
    // Other commands (context-menu, entry-point: none are registered) and stale slash commands.
    if (interaction.isCommand()) return stale(interaction, { ...base, text: '', signal: 'stale-command' });
    // Buttons are read by the core; select menus and modals the bot never sends, so any has expired.
    if (interaction.isButton()) return receive(interaction, { ...base, text: '', button: interaction.customId });
    return stale(interaction, { ...base, text: '', button: '' });
  }

  client.on(Events.InteractionCreate, (interaction) => {
    void inFlight.track(
      handleInteraction(interaction).catch((error: unknown) =>
        logger.error({ interaction: interaction.id, err: error }, 'discord: interaction failed'),
      ),
    );
  });
  client.once(Events.ClientReady, (ready) => logger.info({ user: ready.user.tag, guilds: ready.guilds.cache.size }, 'discord: ready'));
  return client;
}
