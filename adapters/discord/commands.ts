import type { Command } from '../../src/commands/index.ts';
import type { UiKey } from '../../src/content/ui-schema.ts';
import type { ReplyComposer } from '../../src/qa/compose.ts';
import type { Lang } from '../../src/text/script.ts';

/** Discord locales the commands are localized for, and the reply language of each. */
export const DISCORD_LOCALES: Record<string, Lang> = { 'zh-TW': 'zh-Hant', 'zh-CN': 'zh-Hans', 'en-US': 'en', 'en-GB': 'en' };

const STRING = 3;
const INTEGER = 4;
/** Installed to servers; usable in servers and in DMs with the bot. */
const INTEGRATION_TYPES = [0];
const CONTEXTS = [0, 1];

export interface SlashCommandJson {
  name: string;
  name_localizations: Record<string, string>;
  description: string;
  description_localizations: Record<string, string>;
  options: Record<string, unknown>[];
  integration_types: number[];
  contexts: number[];
}

/** Discord's description limit is 100 characters. */
const clampDescription = (text: string, max = 100) =>
  Array.from(text).length <= max
    ? text
    : `${Array.from(text)
        .slice(0, max - 1)
        .join('')}…`;

function localized(composer: ReplyComposer, key: UiKey, transform: (s: string) => string = (s) => s): Record<string, string> {
  return Object.fromEntries(Object.entries(DISCORD_LOCALES).map(([locale, lang]) => [locale, transform(composer.ui(key, lang))]));
}

/**
 * The core's commands as Discord slash-command JSON (one bulk overwrite). /start is Telegram's
 * convention and is left out; /ask gets autocomplete from the content's questions.
 */
export function slashCommands(commands: readonly Command[], composer: ReplyComposer): SlashCommandJson[] {
  return commands
    .filter((c): c is Command & { nameKey: UiKey } => c.nameKey !== undefined)
    .map((c) => {
      const { nameKey, descriptionKey } = c;
      const options: Record<string, unknown>[] = [];
      const arg = c.argument;
      const argKey = arg?.descriptionKey;
      if (arg && argKey) {
        const option: Record<string, unknown> = {
          type: arg.kind === 'integer' ? INTEGER : STRING,
          name: arg.name,
          description: clampDescription(composer.ui(argKey, 'en')),
          description_localizations: localized(composer, argKey, clampDescription),
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
        options.push(option);
      }
      return {
        name: c.name,
        name_localizations: localized(composer, nameKey),
        description: clampDescription(composer.ui(descriptionKey, 'en')),
        description_localizations: localized(composer, descriptionKey, clampDescription),
        options,
        integration_types: INTEGRATION_TYPES,
        contexts: CONTEXTS,
      };
    });
}
