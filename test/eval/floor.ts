/**
 * CI fails below these pass rates. They sit just under the measured score so a regression
 * shows; raise them as the score rises. Targets: ≥ 95% overall, 100% on unanswerable and
 * false-premise questions (a made-up fact there is the harm the bot exists to avoid).
 */
export const EVAL_FLOOR = 0.96;
export const STRICT_CATEGORIES = ['unanswerable', 'false_premise'] as const;
export const STRICT_FLOORS: Record<(typeof STRICT_CATEGORIES)[number], number> = { unanswerable: 1, false_premise: 1 };
