/**
 * The names of the commands the core answers, in the order platforms list them. What each one
 * does is in src/commands; this list is what an adapter, a button or the CLI may name.
 */
export const COMMAND_NAMES = ['start', 'ask', 'summary', 'advice', 'source', 'lang', 'remind', 'help'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Commands a button may run: none needs rights or more than a short argument. */
export const BUTTON_COMMANDS = ['summary', 'advice', 'source', 'help'] as const satisfies readonly CommandName[];
export type ButtonCommandName = (typeof BUTTON_COMMANDS)[number];

export function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}
