import type { Command } from './command.ts';

const LONG = /^(long|full|detail|details|detailed|長|长|詳細|详细|完整)$/i;

export const summaryCommand: Command = {
  name: 'summary',
  nameKey: 'nameSummary',
  descriptionKey: 'cmdSummary',
  argument: { name: 'length', kind: 'choice', required: false, choices: ['short', 'long'] },
  run: ({ args, lang, composer }) => {
    const entry = composer.entries.get(LONG.test(args.trim()) ? 'summary.long' : 'summary.short');
    if (!entry) throw new Error('content has no summary entry');
    return composer.fromEntry(entry, lang);
  },
};
