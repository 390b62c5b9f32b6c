import type { HardeningCase } from './case.ts';

export const discordCases: HardeningCase[] = [];
