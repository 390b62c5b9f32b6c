import type { HardeningCase } from './case.ts';
import { cliCases } from './cli-cases.ts';
import { discordCases } from './discord-cases.ts';
import { llmCases } from './llm-cases.ts';
import { storeCases } from './store-cases.ts';
import { telegramCases } from './telegram-cases.ts';

/** Every hardening case, by area. */
export const CATALOGUE: readonly { area: string; cases: readonly HardeningCase[] }[] = [
  { area: 'telegram', cases: telegramCases },
  { area: 'discord', cases: discordCases },
  { area: 'llm', cases: llmCases },
  { area: 'cli', cases: cliCases },
  { area: 'store and process', cases: storeCases },
];
