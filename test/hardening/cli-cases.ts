import type { HardeningCase } from './case.ts';

export const cliCases: HardeningCase[] = [];
