import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  Options,
  type RepliableInteraction,
} from 'discord.js';
import type { DiscordConfig } from '../../src/config.ts';
import type { Core } from '../../src/core/core.ts';
import { langFromLocale } from '../../src/core/language.ts';
import { type StaleKind, staleNotice } from '../../src/core/stale.ts';
import type { Logger } from '../../src/logger.ts';
import type { ChatEvent } from '../../src/protocol/event.ts';
import type { Reply } from '../../src/protocol/reply.ts';
import { createInFlight, type InFlight } from '../shared/lifecycle.ts';
import { discordShapeOf, isCurrentCommand, slashCommands } from './commands.ts';
import { ADMIN_PERMISSION, type Subcommand } from './remind.ts';
import { type DiscordMessage, discordRenderer, renderShort } from './render.ts';
import { buttonToEvent, commandToEvent, type InteractionFacts, subcommandText } from './to-event.ts';

/** Discord's deadline to acknowledge is 3 s; past this much of it, defer whatever is happening. */
const DEFER_AFTER_MS = 2000;
const AUTOCOMPLETE_CHOICES = 25;
/** Interaction already acknowledged; unknown (expired) interaction. */
const ALREADY_ACKNOWLEDGED = 40060;
const UNKNOWN_INTERACTION = 10062;

export interface DiscordBotDeps {
  token: string;
  config: DiscordConfig;
  core: Core;
  logger: Logger;
  /** Interactions under way are tracked here, so a graceful shutdown can let them finish. */
  inFlight?: InFlight;
}

const facts = (i: Interaction): InteractionFacts => ({ channelId: i.channelId, userId: i.user.id, guildId: i.guildId, locale: i.locale });

/**
 * Whether the sender administers the channel, from the permissions Discord sent with this very
 * interaction (not from the command's defaults, which a server can override). Everyone in a DM.
 */
const administers = (i: Interaction): boolean => i.guildId === null || (i.memberPermissions?.has(ADMIN_PERMISSION) ?? false);

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

/** A refusal of a command is only for the one who asked: a short ephemeral line (/remind by someone not admin). */
const privateRefusal = (event: ChatEvent, reply: Reply) =>
  (reply.kind === 'refused' && event.command === 'remind') || reply.silent === true;

/** A short line only the sender sees, pinging no one. */
const privateNotice = (reply: Reply) =>
  ({ content: renderShort(reply), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } }) as const;

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

/** The discord.js client with every interaction handler. Only the non-privileged Guilds intent. */
export function createDiscordClient({ config, core, logger, inFlight = createInFlight() }: DiscordBotDeps): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.apiBase },
    makeCache: CACHE_LIMITS,
    // The limited caches hold the bot alone; threads (the Guilds intent brings thread events)
    // are kept by discord.js, so archived ones go hourly once archived an hour (default: 4 h).
    sweepers: { ...Options.DefaultSweeperSettings, threads: { interval: 3600, lifetime: 3600 } },
  });
  const ui = core.composer;
  const render = discordRenderer(ui);
  const payload = (m: DiscordMessage) => ({ embeds: m.embeds, components: m.components, allowedMentions: { parse: [] as [] } });
  // What we register now: an interaction with another command or option shape comes from an older registration.
  const registered = slashCommands(core.commands, ui);

  /** Runs the core, acknowledging in time: defer before slow work (or when time runs short). */
  async function respond(interaction: ChatInputCommandInteraction | ButtonInteraction, event: ChatEvent): Promise<void> {
    const log = logger.child({ interaction: interaction.id });
    let deferring: Promise<unknown> | undefined;
    const defer = () => {
      deferring ??= interaction.deferReply();
      return deferring;
    };
    const timer = setTimeout(() => void defer().catch(() => undefined), DEFER_AFTER_MS);
    try {
      const reply = await core.handle(event, {
        onSlowWork: () => defer().then(() => undefined),
        isAdmin: async () => administers(interaction),
      });
      clearTimeout(timer);
      if (privateRefusal(event, reply)) {
        const notice = privateNotice(reply);
        // A public "thinking…" cannot turn private: it goes, and the notice follows privately.
        if (deferring) await deferring.then(() => interaction.deleteReply());
        await (deferring ? interaction.followUp(notice) : interaction.reply(notice));
        log.debug({ kind: reply.kind }, 'discord: refused privately');
        return;
      }
      const messages = render(reply);
      const [first, ...rest] = messages;
      if (!first) return;
      if (deferring) {
        await deferring;
        await interaction.editReply(payload(first));
      } else {
        await interaction.reply(payload(first));
      }
      for (const m of rest) await interaction.followUp(payload(m));
      log.debug({ kind: reply.kind, source: reply.source, messages: messages.length }, 'discord: answered');
    } finally {
      clearTimeout(timer);
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
    const choices = core.answerer.suggest(typed, lang, AUTOCOMPLETE_CHOICES).map((q) => {
      const name = Array.from(q).slice(0, 100).join('');
      return { name, value: name };
    });
    await interaction.respond(choices);
  }

  client.on(Events.InteractionCreate, (interaction) => {
    void inFlight.track(handleInteraction(interaction).catch((error: unknown) => onError(interaction, error)));
  });

  /** A command or component this deploy does not have: told so privately, never taken for a question. */
  async function stale(interaction: RepliableInteraction, kind: StaleKind): Promise<void> {
    await interaction.reply(privateNotice(staleNotice(ui, kind, interaction.locale, { localizedCommandNames: true })));
    const name = interaction.isCommand() ? interaction.commandName : interaction.isMessageComponent() ? interaction.customId : undefined;
    logger.info({ interaction: interaction.id, kind, name: name?.slice(0, 100) }, 'discord: stale command or component');
  }

  const current = (interaction: ChatInputCommandInteraction | AutocompleteInteraction, partial = false) =>
    isCurrentCommand(registered, { name: interaction.commandName, options: interaction.options.data }, { partial });

  async function handleInteraction(interaction: Interaction): Promise<void> {
    // Suggestions for a stale command would be for options it no longer has: none.
    if (interaction.isAutocomplete()) return current(interaction, true) ? autocomplete(interaction) : interaction.respond([]);
    if (interaction.isChatInputCommand()) {
      return current(interaction) ? respond(interaction, chatInputEvent(interaction)) : stale(interaction, 'command');
    }
    // Context-menu and entry-point commands: none are registered.
    if (interaction.isCommand()) return stale(interaction, 'command');
    if (interaction.isButton()) {
      const event = buttonToEvent(facts(interaction), interaction.customId, ui);
      return event ? respond(interaction, event) : stale(interaction, 'component');
    }
    // Select menus and modals: the bot sends none, so any is from elsewhere or an older deploy.
    if (interaction.isRepliable()) return stale(interaction, 'component');
  }

  /** One catch-all: a log line and, where Discord still allows it, a short ephemeral apology. */
  async function onError(interaction: Interaction, error: unknown): Promise<void> {
    const code = error instanceof DiscordAPIError ? error.code : undefined;
    if (code === UNKNOWN_INTERACTION || code === ALREADY_ACKNOWLEDGED) {
      logger.warn({ interaction: interaction.id, code }, 'discord: interaction expired or already acknowledged');
      return;
    }
    logger.error({ interaction: interaction.id, err: error }, 'discord: interaction failed');
    if (!interaction.isRepliable()) return;
    const lang = langFromLocale(interaction.locale) ?? 'en';
    const apology = { content: ui.text('apology', lang), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } } as const;
    await (interaction.deferred || interaction.replied ? interaction.followUp(apology) : interaction.reply(apology)).catch(() => undefined);
  }

  client.once(Events.ClientReady, (ready) => logger.info({ user: ready.user.tag, guilds: ready.guilds.cache.size }, 'discord: ready'));
  return client;
}
