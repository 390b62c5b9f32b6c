import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import type { Reminders, TickReport } from './scheduler.ts';

/** Who holds the scheduler lease: recorded in the lease as `host:pid:id`. */
export interface LeaseHolder {
  host: string;
  pid: number;
  /** Tells apart two leases of one process, and a process from an earlier one with its pid. */
  id: string;
}

export const formatLeaseHolder = (h: LeaseHolder): string => `${h.host}:${h.pid}:${h.id}`;

/** Host and pid parsed from the right, so a host name with colons survives; undefined for a foreign format. */
export function parseLeaseHolder(raw: string): LeaseHolder | undefined {
  const m = /^(.+):(\d+):([^:]+)$/.exec(raw);
  return m ? { host: m[1] as string, pid: Number(m[2]), id: m[3] as string } : undefined;
}

/** `host:pid` of a recorded holder, for logs and /readyz. */
export const describeLeaseHolder = (raw: string): string => {
  const h = parseLeaseHolder(raw);
  return h ? `${h.host}:${h.pid}` : raw;
};

/** Signal 0 checks without signalling: ESRCH means no such process; EPERM, one we may not signal, is alive. */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export type LeaseAttempt = { held: true; tookOverFrom?: string } | { held: false; holder: string };

export interface SchedulerLease {
  readonly holder: string;
  /** Takes or renews the lease; takes it over at once from a holder on this host that is gone. */
  attempt(): Promise<LeaseAttempt>;
  release(): Promise<void>;
}

export interface SchedulerLeaseOptions {
  leaseMs?: number;
  host?: string;
  pid?: number;
  isRunning?: (pid: number) => boolean;
}

const LEASE_NAME = 'reminder-scheduler';
/** Holder ids of this process's live leases: a holder with our pid but another id is an earlier process (a restarted container). */
const heldHere = new Set<string>();

/** The single-scheduler lease of a SQLite store; shared stores (Redis) need none (slot claims keep posts single). */
export function createSchedulerLease(store: Store, options: SchedulerLeaseOptions = {}): SchedulerLease {
  const { leaseMs = 60_000, host = hostname(), pid = process.pid, isRunning = isProcessRunning } = options;
  const me: LeaseHolder = { host, pid, id: randomUUID() };
  const holder = formatLeaseHolder(me);
  if (store.shared) return { holder, attempt: async () => ({ held: true }), release: async () => undefined };
  const lease = store.lease(LEASE_NAME);
  // Another host's processes cannot be checked from here: those wait for the lease to expire.
  const isGone = (other: LeaseHolder) => other.host === host && (other.pid === pid ? !heldHere.has(other.id) : !isRunning(other.pid));
  heldHere.add(me.id);
  return {
    holder,
    async attempt() {
      if (await lease.acquire(holder, leaseMs)) return { held: true };
      const current = await lease.current();
      // Released or expired since the first try.
      if (!current) return (await lease.acquire(holder, leaseMs)) ? { held: true } : { held: false, holder: 'unknown' };
      const other = parseLeaseHolder(current.holder);
      if (other && isGone(other) && (await lease.takeOver(current.holder, holder, leaseMs)))
        return { held: true, tookOverFrom: current.holder };
      return { held: false, holder: current.holder };
    },
    async release() {
      heldHere.delete(me.id);
      await lease.release(holder);
    },
  };
}

/**
 * For one-shot commands (`reminders tick`): holds the lease, taking over a gone holder's, or
 * refuses with one line while a running process holds it.
 */
export async function acquireSchedulerLease(store: Store, leaseMs = 60_000): Promise<{ release(): Promise<void> }> {
  const lease = createSchedulerLease(store, { leaseMs });
  const outcome = await lease.attempt();
  if (!outcome.held) {
    await lease.release();
    throw new AppError(
      'SCHEDULER_RUNNING_ELSEWHERE',
      `another process already runs the reminder scheduler on ${store.location} (${describeLeaseHolder(outcome.holder)}, still running); a SQLite store serves one process (stop it, or use Redis in STORE_URL to run several)`,
    );
  }
  return { release: () => lease.release() };
}

/** `starting` until the lease could first be checked (the store answered). */
export type SchedulerStatus = { state: 'starting' } | { state: 'active' } | { state: 'standby'; holder: string };

export interface ReminderLoop {
  /** Stops after the chats already under way (no new claim is taken), then gives up the lease. */
  stop(): Promise<void>;
  /** Resolves with each finished tick's report (observability, tests). */
  readonly lastReport: TickReport | undefined;
  /** Active, or on standby while another running process holds the lease (`holder` is host:pid). */
  readonly status: SchedulerStatus;
}

export interface ReminderLoopDeps {
  reminders: Reminders;
  store: Store;
  logger: Logger;
  tickMs: number;
  now?: () => Date;
  /** How long the single-scheduler lease lasts unless renewed (SQLite only). */
  leaseMs?: number;
  /** Where the lease is checked from (tests); defaults to this process. */
  lease?: Omit<SchedulerLeaseOptions, 'leaseMs'>;
  onTick?: (report: TickReport) => void;
}

/** Tries the lease and tracks active/standby, logging each change once (a store failure: logged, tried again). */
function leaseKeeper(lease: SchedulerLease, logger: Logger, started: Record<string, unknown>) {
  let status: SchedulerStatus = { state: 'starting' };
  const hold = async (): Promise<boolean> => {
    const outcome = await lease.attempt();
    if (outcome.held) {
      if (outcome.tookOverFrom)
        logger.info(
          { previous: describeLeaseHolder(outcome.tookOverFrom) },
          'took over the scheduler lease of a process no longer running',
        );
      if (status.state !== 'active') logger.info(started, 'reminder scheduler started');
      status = { state: 'active' };
      return true;
    }
    const holder = describeLeaseHolder(outcome.holder);
    if (status.state !== 'standby')
      logger.warn({ holder }, `reminder scheduler on standby: lease held by ${holder}; trying again every tick`);
    status = { state: 'standby', holder };
    return false;
  };
  return {
    get status() {
      return status;
    },
    async hold(): Promise<boolean> {
      try {
        return await hold();
      } catch (error) {
        logger.error({ err: error }, 'scheduler lease check failed; next tick retries');
        return false;
      }
    },
  };
}

/**
 * Ticks every `tickMs` (never two ticks at once) until stopped. While another running process
 * holds the lease it waits on standby, trying again every tick, instead of refusing to start:
 * a restart must never turn into a crash loop.
 */
export async function startReminderLoop(deps: ReminderLoopDeps): Promise<ReminderLoop> {
  const { reminders, store, logger, tickMs } = deps;
  const lease = createSchedulerLease(store, { ...deps.lease, leaseMs: deps.leaseMs ?? Math.max(60_000, tickMs * 3) });
  const now = deps.now ?? (() => new Date());
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let lastReport: TickReport | undefined;

  const keeper = leaseKeeper(lease, logger, { everyMs: tickMs, store: store.backend });
  const runTick = async () => {
    try {
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
      running = (async () => {
        if (await keeper.hold()) await runTick();
      })().finally(schedule);
    }, tickMs);
  };
  // The first lease decision is made before start-up goes on (logs, /readyz); posting is not waited for.
  running = ((await keeper.hold()) ? runTick() : Promise.resolve()).finally(schedule);

  return {
    get lastReport() {
      return lastReport;
    },
    get status() {
      return keeper.status;
    },
    async stop() {
      abort.abort();
      if (timer) clearTimeout(timer);
      await running;
      await lease.release().catch(() => undefined);
    },
  };
}
