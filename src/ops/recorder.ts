import type { CoreObserver } from '../core/core.ts';
import type { TickReport } from '../reminders/scheduler.ts';

/**
 * What the running parts report as they work. The Prometheus registry behind it (metrics.ts)
 * loads only where the ops server serves it: the console and the CLI record into nothing.
 */
export interface MetricsRecorder {
  /** What the core reports as it answers (messages, latency, LLM use). */
  readonly core: CoreObserver;
  reminders(report: TickReport): void;
  /** A line logged at error level or above, anywhere. */
  error(): void;
}

export function createSilentRecorder(): MetricsRecorder {
  const ignore = () => undefined;
  return { core: { replied: ignore, llm: ignore }, reminders: ignore, error: ignore };
}
