/**
 * The Discord side of the core's /remind: sub-commands instead of one text argument, who sees
 * it by default, and time-zone autocomplete. The core still reads `on 21:30 Asia/Taipei`.
 */
import { PermissionFlagsBits } from 'discord.js';
import type { UiKey } from '../../src/content/ui-schema.ts';

/** One string option of a sub-command, in the order the core reads it. */
export interface SubcommandOption {
  name: string;
  descriptionKey: UiKey;
  maxLength: number;
  /** Choices as the user types (Discord autocomplete), at most `max`. */
  suggest?: (typed: string, max: number) => { name: string; value: string }[];
  /** Tidies what was typed before the core sees it. */
  normalize?: (value: string) => string;
}

export interface Subcommand {
  name: string;
  descriptionKey: UiKey;
  options: readonly SubcommandOption[];
}

/** How a core command looks on Discord when a plain argument will not do. */
export interface DiscordCommandShape {
  subcommands: readonly Subcommand[];
  /** Who may use it unless a server admin says otherwise (Server Settings → Integrations). */
  defaultMemberPermissions?: bigint;
}

/**
 * Who counts as an admin of a channel: whoever may manage it. Also what /remind requires by
 * default; the check at run time stays, as servers can override the default.
 */
export const ADMIN_PERMISSION = PermissionFlagsBits.ManageChannels;

const ZONES: readonly string[] = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
const ZONE_BY_LOWER = new Map(ZONES.map((z) => [z.toLowerCase(), z]));
/** "taipei" → Asia/Taipei, "new york" → America/New_York, where the city part names one zone. */
const ZONE_BY_CITY = (() => {
  const byCity = new Map<string, string | null>();
  for (const zone of ZONES) {
    const city = (zone.split('/').at(-1) ?? zone).toLowerCase();
    byCity.set(city, byCity.has(city) ? null : zone);
  }
  return byCity;
})();

const fold = (typed: string) => typed.trim().toLowerCase().replace(/\s+/g, '_');

/** An IANA zone as Discord users type it, written as the zone is; unknown input unchanged. */
export function canonicalTimezone(typed: string): string {
  const key = fold(typed);
  return ZONE_BY_LOWER.get(key) ?? ZONE_BY_CITY.get(key) ?? typed.trim();
}

/** Offered before anything is typed: the readers' zones first. */
const FEATURED = [
  'Asia/Taipei',
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Macau',
  'Asia/Singapore',
  'Asia/Kuala_Lumpur',
  'Asia/Bangkok',
  'Asia/Phnom_Penh',
  'Asia/Ho_Chi_Minh',
  'Asia/Manila',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Australia/Sydney',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'America/Vancouver',
  'UTC',
];

/** Zones matching what is typed, best first: the city's start, any part's start, anywhere. */
export function timezoneChoices(typed: string, max = 25): { name: string; value: string }[] {
  const key = fold(typed);
  let found: string[];
  if (key === '') {
    found = FEATURED.filter((z) => ZONE_BY_LOWER.has(z.toLowerCase()));
  } else {
    const rank = (zone: string) => {
      const lower = zone.toLowerCase();
      const parts = lower.split('/');
      if (lower === key) return 0;
      if ((parts.at(-1) ?? '').startsWith(key)) return 1;
      if (lower.startsWith(key) || parts.some((p) => p.startsWith(key))) return 2;
      return lower.includes(key) ? 3 : 4;
    };
    found = ZONES.map((zone) => ({ zone, rank: rank(zone) }))
      .filter((z) => z.rank < 4)
      .sort((a, b) => a.rank - b.rank || a.zone.localeCompare(b.zone))
      .map((z) => z.zone);
  }
  return found.slice(0, max).map((zone) => ({ name: zone, value: zone }));
}

/** `/remind on [time] [timezone] | off | status | now`, changeable by channel managers by default. */
export const REMIND_SHAPE: DiscordCommandShape = {
  subcommands: [
    {
      name: 'on',
      descriptionKey: 'cmdRemindOn',
      options: [
        { name: 'time', descriptionKey: 'argSchedule', maxLength: 100 },
        { name: 'timezone', descriptionKey: 'argTimezone', maxLength: 64, suggest: timezoneChoices, normalize: canonicalTimezone },
      ],
    },
    { name: 'off', descriptionKey: 'cmdRemindOff', options: [] },
    { name: 'status', descriptionKey: 'cmdRemindStatus', options: [] },
    { name: 'now', descriptionKey: 'cmdRemindNow', options: [] },
  ],
  defaultMemberPermissions: ADMIN_PERMISSION,
};
