import type { Command } from './command.ts';

export const askCommand: Command = {
  name: 'ask',
  argument: { name: 'question', kind: 'text', required: true },
  run: ({ args, ask }) => ask(args),
};
