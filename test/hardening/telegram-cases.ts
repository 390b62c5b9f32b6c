import type { HardeningCase } from './case.ts';

export const telegramCases: HardeningCase[] = [];
