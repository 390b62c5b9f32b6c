import type { EvalSummary } from './evaluate.ts';

/**
 * CI fails below these pass rates (or above the confident-wrong ceiling). They sit just under the
 * measured scores so a regression shows; raise them as the scores rise. Targets: ≥ 95% on every
 * set, confident-wrong ≤ 1%, 100% on unanswerable, false-premise and hostile questions.
 *
 * questions.yaml is the development set the matcher was tuned on. holdout.yaml and holdout-2…8.yaml
 * were written blind (by someone shown only the article, not the content or the development set)
 * and measure how well that tuning generalises; a holdout question is never added to content.
 */
export interface EvalFloor {
  file: string;
  total: number;
  categories: Record<string, number>;
  /** Highest share of confident wrong answers allowed. */
  confidentWrong: number;
}

export const EVAL_FLOORS: readonly EvalFloor[] = [
  { file: 'test/eval/questions.yaml', total: 0.99, categories: { unanswerable: 1, false_premise: 1 }, confidentWrong: 0.01 },
  {
    file: 'test/eval/holdout.yaml',
    total: 0.99,
    categories: { unanswerable: 1, false_premise: 1, hostile: 1, out_of_scope: 1 },
    confidentWrong: 0.01,
  },
  {
    file: 'test/eval/holdout-2.yaml',
    total: 0.97,
    categories: { unanswerable: 0.95, false_premise: 1, hostile: 1, out_of_scope: 1 },
    confidentWrong: 0.02,
  },
  {
    // Written blind as a sealed check; its first run was the honest figure (87%, 8% confident-wrong).
    file: 'test/eval/holdout-3.yaml',
    total: 0.92,
    categories: { false_premise: 1, hostile: 1 },
    confidentWrong: 0.05,
  },
  {
    // The second sealed check; its first run was the honest figure (79%, 14% confident-wrong).
    file: 'test/eval/holdout-4.yaml',
    total: 0.93,
    categories: {},
    confidentWrong: 0.08,
  },
  {
    // The third sealed check; its first run was the honest figure (86%, 7% confident-wrong).
    file: 'test/eval/holdout-5.yaml',
    total: 0.93,
    categories: { hostile: 1 },
    confidentWrong: 0.04,
  },
  {
    // The fourth sealed check; its first run was the honest figure (83%, 7% confident-wrong).
    file: 'test/eval/holdout-6.yaml',
    total: 0.9,
    categories: { hostile: 1 },
    confidentWrong: 0.04,
  },
  {
    // The fifth sealed check; its first run was the honest figure (82%, 7% confident-wrong).
    file: 'test/eval/holdout-7.yaml',
    total: 0.88,
    categories: { hostile: 1 },
    confidentWrong: 0.06,
  },
  {
    // The sixth sealed check; its first run was the honest figure (85%, 7% confident-wrong).
    file: 'test/eval/holdout-8.yaml',
    total: 0.84,
    categories: { hostile: 1 },
    confidentWrong: 0.07,
  },
];

/** What of the floor a summary falls short of, as short phrases; empty when it passes. */
export function belowFloor(floor: EvalFloor, summary: EvalSummary): string[] {
  const short: string[] = [];
  if (summary.total.rate < floor.total) short.push(`total ${(summary.total.rate * 100).toFixed(1)}% < ${floor.total * 100}%`);
  for (const [category, min] of Object.entries(floor.categories)) {
    const rate = summary.byCategory[category]?.rate ?? 1;
    if (rate < min) short.push(`${category} ${(rate * 100).toFixed(1)}% < ${min * 100}%`);
  }
  if (summary.confidentWrong.rate > floor.confidentWrong)
    short.push(`confident-wrong ${(summary.confidentWrong.rate * 100).toFixed(1)}% > ${floor.confidentWrong * 100}%`);
  return short;
}
