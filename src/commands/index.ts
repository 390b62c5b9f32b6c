import { adviceCommand } from './advice.ts';
import { askCommand } from './ask.ts';
import type { Command } from './command.ts';
import { helpCommand, startCommand } from './help.ts';
import { langCommand } from './lang.ts';
import { remindCommand } from './remind.ts';
import { sourceCommand } from './source.ts';
import { summaryCommand } from './summary.ts';

export type { Command, CommandContext } from './command.ts';

/** Every command the core answers, in the order adapters list them. */
export const COMMANDS: readonly Command[] = [
  startCommand,
  askCommand,
  summaryCommand,
  adviceCommand,
  sourceCommand,
  langCommand,
  remindCommand,
  helpCommand,
];

/** The command list (a function, so callers outside the core need not import its modules one by one). */
export function commandsOf(): readonly Command[] {
  return COMMANDS;
}
