import type { HardeningCase } from './case.ts';

export const storeCases: HardeningCase[] = [];
