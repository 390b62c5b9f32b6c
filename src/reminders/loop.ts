import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BotError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import type { Reminders, TickReport } from './scheduler.ts';

export interface ReminderLoop {
  /** Stops after the chats already under way (no new claim is taken), then gives up the lease. */
  stop(): Promise<void>;
  /** Resolves with each finished tick's report (observability, tests). */
  readonly lastReport: TickReport | undefined;
}

export interface ReminderLoopDeps {
  reminders: Reminders;
  store: Store;
  logger: Logger;
  tickMs: number;
  now?: () => Date;
  /** How long the single-scheduler lease lasts unless renewed (SQLite only). */
  leaseMs?: number;
  onTick?: (report: TickReport) => void;
}

const LEASE_NAME = 'reminder-scheduler';

/**
 * Holds the scheduler lease where the store serves one process (a SQLite file), or refuses
 * with one line when another process holds it. Shared stores (Redis) need no lease: slot
 * claims already make several schedulers post once.
 */
export async function acquireSchedulerLease(
  store: Store,
  leaseMs = 60_000,
): Promise<{ release(): Promise<void>; renew(): Promise<boolean> }> {
  if (store.shared) return { release: async () => undefined, renew: async () => true };
  const lease = store.lease(LEASE_NAME);
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  if (!(await lease.acquire(holder, leaseMs)))
    throw new BotError(
      'SCHEDULER_RUNNING_ELSEWHERE',
      `another process already runs the reminder scheduler on ${store.location}; a SQLite store serves one process (stop it, or use Redis in STORE_URL to run several)`,
    );
  return { release: () => lease.release(holder), renew: () => lease.acquire(holder, leaseMs) };
}

/** Ticks every `tickMs` (never two ticks at once) until stopped. */
export async function startReminderLoop(deps: ReminderLoopDeps): Promise<ReminderLoop> {
  const { reminders, store, logger, tickMs } = deps;
  const leaseMs = deps.leaseMs ?? Math.max(60_000, tickMs * 3);
  const lease = await acquireSchedulerLease(store, leaseMs);
  const now = deps.now ?? (() => new Date());
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let lastReport: TickReport | undefined;

  const tick = async () => {
    try {
      if (!(await lease.renew())) {
        logger.error('reminder scheduler lost its lease to another process; it stops here');
        abort.abort();
        return;
      }
      const report = await reminders.tick(now(), { signal: abort.signal });
      lastReport = report;
      deps.onTick?.(report);
      if (report.sent + report.failed + report.removed + report.skipped > 0)
        logger.info({ ...report, planned: undefined }, 'reminders posted');
    } catch (error) {
      logger.error({ err: error }, 'reminder tick failed; next tick retries');
    }
  };
  const schedule = () => {
    if (abort.signal.aborted) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, tickMs);
  };
  running = tick().finally(schedule);
  logger.info({ everyMs: tickMs, store: store.backend }, 'reminder scheduler started');

  return {
    get lastReport() {
      return lastReport;
    },
    async stop() {
      abort.abort();
      if (timer) clearTimeout(timer);
      await running;
      await lease.release().catch(() => undefined);
    },
  };
}
