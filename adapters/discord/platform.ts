import { DiscordAPIError, type Interaction, MessageFlags, type REST, type RepliableInteraction } from 'discord.js';
import type { FailureReport, Platform, Turn } from '../../src/protocol/platform.ts';
import type { Reply } from '../../src/protocol/reply.ts';
import type { PlatformTexts } from '../shared/buttons.ts';
import { createDiscordPoster } from './poster.ts';
import { ADMIN_PERMISSION } from './remind.ts';
import { type DiscordMessage, LIMITS, renderShort } from './render.ts';

/** Discord's deadline to acknowledge is 3 s; past this much of it, defer whatever is happening. */
const DEFER_AFTER_MS = 2000;
/** Interaction already acknowledged; unknown (expired) interaction. */
const ALREADY_ACKNOWLEDGED = 40060;
const UNKNOWN_INTERACTION = 10062;

/** An interaction that expired or was answered already is part of a bot's life: no apology can reach anyone. */
export function describeDiscordFailure(error: unknown): FailureReport {
  const code = error instanceof DiscordAPIError ? error.code : undefined;
  if (code === UNKNOWN_INTERACTION || code === ALREADY_ACKNOWLEDGED)
    return { kind: 'interaction-expired or already acknowledged', apologise: false, expected: true };
  return { kind: code === undefined ? 'handler' : `discord-${code}`, apologise: true };
}

/** Discord as the core's Platform: commands under localized names, reminders over the client's REST. */
export function discordPlatform(rest: REST, texts: PlatformTexts): Platform {
  return {
    name: 'discord',
    limits: { messageChars: LIMITS.description, buttonLabelChars: LIMITS.buttonLabel, buttons: LIMITS.buttonsPerRow * (LIMITS.rows - 1) },
    localizedCommandNames: true,
    poster: createDiscordPoster(rest, texts),
    describeFailure: describeDiscordFailure,
  };
}

/**
 * Whether the sender administers the channel, from the permissions Discord sent with this very
 * interaction (not from the command's defaults, which a server can override). Everyone in a DM.
 */
export const administers = (i: Interaction): boolean => i.guildId === null || (i.memberPermissions?.has(ADMIN_PERMISSION) ?? false);

/** A short line only the sender sees, pinging no one. */
const privateNotice = (reply: Reply) =>
  ({ content: renderShort(reply), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } }) as const;

const payload = (m: DiscordMessage) => ({ embeds: m.embeds, components: m.components, allowedMentions: { parse: [] as [] } });

export interface InteractionTurn extends Turn {
  /** The answer is out (or failed): no deferring any more. */
  settle(): void;
}

/**
 * Answering one interaction, in time: deferred before slow work, or when 2 s of Discord's 3 have
 * passed. A reply for the sender alone is ephemeral; a public "thinking…" cannot turn private,
 * so it is deleted and the notice follows privately.
 */
export function interactionTurn(interaction: RepliableInteraction, render: (reply: Reply) => DiscordMessage[]): InteractionTurn {
  let deferring: Promise<unknown> | undefined;
  const defer = () => {
    deferring ??= interaction.deferReply();
    return deferring;
  };
  const timer = setTimeout(() => void defer().catch(() => undefined), DEFER_AFTER_MS);

  async function privately(reply: Reply): Promise<void> {
    clearTimeout(timer);
    const notice = privateNotice(reply);
    if (deferring) await deferring.then(() => interaction.deleteReply());
    await (deferring || interaction.replied ? interaction.followUp(notice) : interaction.reply(notice));
  }

  async function post(reply: Reply): Promise<void> {
    if (reply.private) return privately(reply);
    clearTimeout(timer);
    const [first, ...rest] = render(reply);
    if (!first) return;
    if (deferring) {
      await deferring;
      await interaction.editReply(payload(first));
    } else {
      await interaction.reply(payload(first));
    }
    for (const m of rest) await interaction.followUp(payload(m));
  }

  return {
    requestId: interaction.id,
    post,
    notify: privately,
    typing: () => defer().then(() => undefined),
    isAdmin: async () => administers(interaction),
    settle: () => clearTimeout(timer),
  };
}
