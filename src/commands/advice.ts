import type { Command } from './command.ts';

export const adviceCommand: Command = {
  name: 'advice',
  nameKey: 'nameAdvice',
  descriptionKey: 'cmdAdvice',
  argument: { name: 'number', descriptionKey: 'argNumber', kind: 'integer', required: false, min: 1, max: 4 },
  run: ({ args, lang, composer }) => {
    const arg = args.trim();
    if (arg === '') return composer.adviceList(lang);
    const n = /^\d{1,3}$/.test(arg) ? Number(arg) : Number.NaN;
    const entry = composer.recommendations.find((r) => r.n === n);
    if (entry) return composer.fromEntry(entry, lang);
    const reply = composer.adviceList(lang);
    return composer.notice(
      { ...reply, kind: 'clarify' },
      composer.text('adviceOutOfRange', lang, { count: composer.recommendations.length }),
    );
  },
};
