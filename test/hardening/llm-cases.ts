import type { HardeningCase } from './case.ts';

export const llmCases: HardeningCase[] = [];
