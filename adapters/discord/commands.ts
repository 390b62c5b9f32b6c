import type { Command } from '../../src/commands/index.ts';
import type { UiKey } from '../../src/content/ui-schema.ts';
import type { Lang } from '../../src/protocol/lang.ts';
import type { PlatformTexts } from '../shared/buttons.ts';
import { trimLabel } from '../shared/text.ts';
import { type DiscordCommandShape, REMIND_SHAPE, type Subcommand } from './remind.ts';

/** Discord locales the commands are localized for, and the reply language of each. */
export const DISCORD_LOCALES: Record<string, Lang> = { 'zh-TW': 'zh-Hant', 'zh-CN': 'zh-Hans', 'en-US': 'en', 'en-GB': 'en' };

const SUB_COMMAND = 1;
const STRING = 3;
const INTEGER = 4;
/** Installed to servers; usable in servers and in DMs with the bot. */
const INTEGRATION_TYPES = [0];
const CONTEXTS = [0, 1];

/** Core commands that take a Discord-specific shape (sub-commands) instead of their one argument. */
const SHAPES: Record<string, DiscordCommandShape> = { remind: REMIND_SHAPE };

export const discordShapeOf = (commandName: string): DiscordCommandShape | undefined => SHAPES[commandName];

export interface SlashCommandJson {
  name: string;
  name_localizations: Record<string, string>;
  description: string;
  description_localizations: Record<string, string>;
  options: Record<string, unknown>[];
  /** A permission bitfield as a decimal string: only members with it see the command (admins can change that). */
  default_member_permissions?: string;
  integration_types: number[];
  contexts: number[];
}

/** Discord's description limit is 100 characters. */
const clampDescription = (text: string) => trimLabel(text, 100);

function localized(texts: Pick<PlatformTexts, 'text'>, key: UiKey, transform: (s: string) => string = (s) => s): Record<string, string> {
  return Object.fromEntries(Object.entries(DISCORD_LOCALES).map(([locale, lang]) => [locale, transform(texts.text(key, lang))]));
}

/** A name (kept as is) and a description localized from `key`. */
const described = (texts: Pick<PlatformTexts, 'text'>, name: string, key: UiKey) => ({
  name,
  description: clampDescription(texts.text(key, 'en')),
  description_localizations: localized(texts, key, clampDescription),
});

function subcommandJson(texts: Pick<PlatformTexts, 'text'>, sub: Subcommand): Record<string, unknown> {
  return {
    type: SUB_COMMAND,
    ...described(texts, sub.name, sub.descriptionKey),
    options: sub.options.map((o) => ({
      type: STRING,
      ...described(texts, o.name, o.descriptionKey),
      required: false,
      max_length: o.maxLength,
      ...(o.suggest ? { autocomplete: true } : {}),
    })),
  };
}

/** The option for a command's one core argument, if it has one with a description. */
function argumentJson(texts: Pick<PlatformTexts, 'text'>, arg: Command['argument']): Record<string, unknown>[] {
  const argKey = arg?.descriptionKey;
  if (!arg || !argKey) return [];
  const option: Record<string, unknown> = {
    type: arg.kind === 'integer' ? INTEGER : STRING,
    ...described(texts, arg.name, argKey),
    required: arg.required,
  };
  if (arg.kind === 'integer' && arg.min !== undefined && arg.max !== undefined) {
    option.choices = Array.from({ length: arg.max - arg.min + 1 }, (_, i) => ({
      name: String((arg.min as number) + i),
      value: (arg.min as number) + i,
    }));
  } else if (arg.kind === 'choice' && arg.choices) {
    option.choices = arg.choices.map((choice) => ({ name: choice, value: choice }));
  } else if (arg.kind === 'text') {
    option.autocomplete = true;
    option.max_length = 1000;
  }
  return [option];
}

/**
 * The core's commands as Discord slash-command JSON (one bulk overwrite). /start is Telegram's
 * convention and is left out; /ask gets autocomplete from the content's questions; a command
 * with a Discord shape (/remind) gets its sub-commands and default permissions from it.
 */
export function slashCommands(commands: readonly Command[], texts: Pick<PlatformTexts, 'text'>): SlashCommandJson[] {
  return commands
    .filter((c): c is Command & { nameKey: UiKey } => c.nameKey !== undefined)
    .map((c) => {
      const shape = discordShapeOf(c.name);
      const json: SlashCommandJson = {
        name: c.name,
        name_localizations: localized(texts, c.nameKey),
        description: clampDescription(texts.text(c.descriptionKey, 'en')),
        description_localizations: localized(texts, c.descriptionKey, clampDescription),
        options: shape ? shape.subcommands.map((s) => subcommandJson(texts, s)) : argumentJson(texts, c.argument),
        integration_types: INTEGRATION_TYPES,
        contexts: CONTEXTS,
      };
      if (shape?.defaultMemberPermissions !== undefined) json.default_member_permissions = shape.defaultMemberPermissions.toString();
      return json;
    });
}

/** An option as an interaction carries it (discord.js's CommandInteractionOption fits). */
export interface InvokedOption {
  name: string;
  type: number;
  options?: readonly InvokedOption[];
}

const SUB_COMMAND_GROUP = 2;
const nests = (type: unknown) => type === SUB_COMMAND || type === SUB_COMMAND_GROUP;

/**
 * Whether the options of an invocation fit the registered ones: each known by name and type,
 * each required one given (unless `partial`: autocomplete while still typing), one sub-command
 * chosen where there are sub-commands.
 */
function optionsFit(registered: readonly Record<string, unknown>[], invoked: readonly InvokedOption[], partial: boolean): boolean {
  if (registered.some((r) => nests(r.type)) && invoked.length !== 1) return false;
  for (const option of invoked) {
    const match = registered.find((r) => r.name === option.name && r.type === option.type);
    if (!match) return false;
    if (nests(match.type) && !optionsFit((match.options as Record<string, unknown>[]) ?? [], option.options ?? [], partial)) return false;
  }
  return partial || registered.every((r) => r.required !== true || invoked.some((o) => o.name === r.name));
}

/**
 * Whether an invocation is of a command as registered now. Discord keeps offering commands
 * from an older registration (a global overwrite takes a while, an old guild registration
 * lingers): a name or an option shape we no longer register is stale and must not be taken
 * for a question.
 */
export function isCurrentCommand(
  registered: readonly SlashCommandJson[],
  invoked: { name: string; options: readonly InvokedOption[] },
  { partial = false }: { partial?: boolean } = {},
): boolean {
  const command = registered.find((c) => c.name === invoked.name);
  return command !== undefined && optionsFit(command.options, invoked.options, partial);
}
