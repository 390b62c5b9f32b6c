import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { MetricsRecorder } from './recorder.ts';

/** The recorder backed by a Prometheus registry, which the ops server serves on /metrics. */
export interface Metrics extends MetricsRecorder {
  readonly registry: Registry;
  /** Adds the Node process metrics (CPU, memory, event loop), once; only a served registry needs them. */
  collectProcessMetrics(): void;
}

/** The bot's Prometheus metrics, on a registry of its own (no global state). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  let collectingProcess = false;
  const messages = new Counter({
    name: 'bot_messages_total',
    help: 'Messages answered, by platform, reply kind and source (offline or llm)',
    labelNames: ['platform', 'kind', 'source'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'bot_answer_seconds',
    help: 'Time from a message reaching the core to its reply, by platform and source',
    labelNames: ['platform', 'source'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25, 1, 2.5, 5, 10, 20],
    registers: [registry],
  });
  const llmCalls = new Counter({
    name: 'bot_llm_answers_total',
    help: 'Questions the LLM path handled: answered by a model call, from the cache, or fallen back (with the reason)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const llmTokens = new Counter({ name: 'bot_llm_tokens_total', help: 'Tokens used by LLM calls', registers: [registry] });
  const reminders = new Counter({
    name: 'bot_reminders_total',
    help: 'Reminder slots by outcome (sent, failed, skipped, removed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const errors = new Counter({ name: 'bot_errors_total', help: 'Lines logged at error level or above', registers: [registry] });
  for (const outcome of ['sent', 'failed', 'skipped', 'removed']) reminders.inc({ outcome }, 0);
  errors.inc(0);

  return {
    registry,
    core: {
      replied: ({ platform, kind, source, ms }) => {
        messages.inc({ platform, kind, source });
        latency.observe({ platform, source }, ms / 1000);
      },
      llm: ({ outcome, tokens }) => {
        llmCalls.inc({ outcome });
        if (tokens) llmTokens.inc(tokens);
      },
    },
    reminders(report) {
      reminders.inc({ outcome: 'sent' }, report.sent);
      reminders.inc({ outcome: 'failed' }, report.failed);
      reminders.inc({ outcome: 'skipped' }, report.skipped);
      reminders.inc({ outcome: 'removed' }, report.removed);
    },
    error: () => errors.inc(),
    collectProcessMetrics() {
      // Not at creation: tests build metrics without serving them, and would monitor the
      // event loop for nothing.
      if (collectingProcess) return;
      collectingProcess = true;
      collectDefaultMetrics({ register: registry, prefix: 'bot_' });
    },
  };
}
