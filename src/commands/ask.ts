import type { Command } from './command.ts';

export const askCommand: Command = {
  name: 'ask',
  nameKey: 'nameAsk',
  descriptionKey: 'cmdAsk',
  argument: { name: 'question', descriptionKey: 'argQuestion', kind: 'text', required: true },
  run: ({ args, ask }) => ask(args),
};
