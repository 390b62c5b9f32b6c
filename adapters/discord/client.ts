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
} from 'discord.js';
import type { DiscordConfig } from '../../src/config.ts';
import type { Core } from '../../src/core/core.ts';
import { langFromLocale } from '../../src/core/language.ts';
import type { ChatEvent } from '../../src/core/types.ts';
import type { Logger } from '../../src/logger.ts';
import { LANGS, type Lang } from '../../src/text/script.ts';
import { type DiscordMessage, renderDiscord } from './render.ts';
import { buttonToEvent, commandToEvent, type InteractionFacts } from './to-event.ts';

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
}

const facts = (i: Interaction): InteractionFacts => ({ channelId: i.channelId, userId: i.user.id, guildId: i.guildId, locale: i.locale });

/** The discord.js client with every interaction handler. Only the non-privileged Guilds intent. */
export function createDiscordClient({ config, core, logger }: DiscordBotDeps): Client {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: config.apiBase } });
  const ui = core.composer;
  const footer = ui.content.knowledge.title;
  const langLabels = Object.fromEntries(LANGS.map((l) => [l, ui.ui('langShort', l)])) as Record<Lang, string>;
  const payload = (m: DiscordMessage) => ({ embeds: m.embeds, components: m.components, allowedMentions: { parse: [] as [] } });

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
      const reply = await core.handle(event, { onSlowWork: () => defer().then(() => undefined) });
      const lang = reply.lang;
      const messages = renderDiscord(reply, { footer: footer[lang], langLabels });
      clearTimeout(timer);
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
    const typed = String(interaction.options.getFocused() ?? '');
    const choices = core.answerer.suggest(typed, lang, AUTOCOMPLETE_CHOICES).map((q) => {
      const name = Array.from(q).slice(0, 100).join('');
      return { name, value: name };
    });
    await interaction.respond(choices);
  }

  client.on(Events.InteractionCreate, (interaction) => {
    void handleInteraction(interaction).catch((error: unknown) => onError(interaction, error));
  });

  async function handleInteraction(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return autocomplete(interaction);
    if (interaction.isChatInputCommand()) {
      const option = interaction.options.data[0];
      const argument = option?.value === undefined ? null : (option.value as string | number);
      return respond(interaction, commandToEvent(facts(interaction), interaction.commandName, argument));
    }
    if (interaction.isButton()) {
      const event = buttonToEvent(facts(interaction), interaction.customId);
      if (!event) {
        const lang = langFromLocale(interaction.locale) ?? 'en';
        await interaction.reply({ content: ui.ui('buttonExpired', lang), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
        return;
      }
      return respond(interaction, event);
    }
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
    const apology = { content: ui.ui('apology', lang), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } } as const;
    await (interaction.deferred || interaction.replied ? interaction.followUp(apology) : interaction.reply(apology)).catch(() => undefined);
  }

  client.once(Events.ClientReady, (ready) => logger.info({ user: ready.user.tag, guilds: ready.guilds.cache.size }, 'discord: ready'));
  return client;
}
