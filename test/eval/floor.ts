/**
 * CI fails below these pass rates. They sit just under the measured scores so a regression
 * shows; raise them as the scores rise. Targets: ≥ 95% overall, 100% on unanswerable and
 * false-premise questions (a made-up fact there is the harm the bot exists to avoid).
 *
 * questions.yaml is the development set the matcher was tuned on; holdout.yaml was written
 * separately (without seeing the content or the development set) and measures how well that
 * tuning generalises, so its floor is lower.
 */
export interface EvalFloor {
  file: string;
  total: number;
  categories: Record<string, number>;
}

export const EVAL_FLOORS: readonly EvalFloor[] = [
  { file: 'test/eval/questions.yaml', total: 0.96, categories: { unanswerable: 1, false_premise: 1 } },
  { file: 'test/eval/holdout.yaml', total: 0.85, categories: { unanswerable: 1, false_premise: 0.75 } },
];
