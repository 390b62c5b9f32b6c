import { DiscordAPIError, type REST, Routes } from 'discord.js';
import type { Poster } from '../../src/protocol/platform.ts';
import type { PlatformTexts } from '../shared/buttons.ts';
import { discordRenderer } from './render.ts';

/** Discord's JSON error codes that mean the channel will not take our messages again. */
const UNKNOWN_CHANNEL = 10003;
const MISSING_ACCESS = 50001;
/** Cannot send messages to this user: a DM whose user left every shared server or blocked the bot. */
const CANNOT_MESSAGE_USER = 50007;
const MISSING_PERMISSIONS = 50013;

/** Unreachable for good: removed from the server, no permission to post there, or deleted. */
function isGone(error: unknown): boolean {
  if (!(error instanceof DiscordAPIError)) return false;
  if (error.status === 403)
    return error.code === MISSING_ACCESS || error.code === MISSING_PERMISSIONS || error.code === CANNOT_MESSAGE_USER;
  // Only Discord's own "Unknown Channel": a bare 404 (a wrong API base) must not unsubscribe everyone.
  return error.status === 404 && error.code === UNKNOWN_CHANNEL;
}

/**
 * Reminder posts on Discord: the reply rendered as for an interaction (embeds, buttons) and
 * posted to the channel, never pinging anyone. Discord's 429s are waited out by @discordjs/rest
 * (it reads the rate-limit headers) and 5xx retried; a channel that is gone is 'gone'; any other
 * failure is thrown for the scheduler's backoff.
 */
export function createDiscordPoster(rest: REST, texts: PlatformTexts): Poster {
  const render = discordRenderer(texts);
  return {
    async post(channelId, reply) {
      try {
        for (const message of render(reply)) await rest.post(Routes.channelMessages(channelId), { body: message });
        return 'sent';
      } catch (error) {
        if (isGone(error)) return 'gone';
        throw error;
      }
    },
  };
}
