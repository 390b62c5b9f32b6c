import { hostname } from 'node:os';
import type { Logger } from '../src/logger.ts';
import type { Store } from '../src/store/store.ts';

/** Starts within this window count towards a crash loop. */
const WINDOW_MS = 3_600_000;
/** This many starts in the window go ahead at once; each further one waits twice as long. */
const FREE_STARTS = 3;
const FIRST_WAIT_MS = 5_000;
const MAX_WAIT_MS = 5 * 60_000;

/**
 * A bot restarted over and over (a crash loop under a restart policy) would hammer the
 * platforms: Discord resets a token after 1,000 logins in a day. Recent starts are recorded in
 * the store; past a few an hour, each start waits longer (5 s, 10 s, … up to 5 min). Start-up
 * errors that retrying cannot fix (a rejected token) exit at once and are not retried here.
 */
export async function waitForStartupSlot(
  store: Store,
  logger: Logger,
  now: () => number = Date.now,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<number> {
  // Per host: replicas sharing one Redis each count their own restarts.
  const key = `starts:${hostname()}`;
  const starts = store.namespace<number[]>('process');
  const recent = ((await starts.get(key)) ?? []).filter((t) => t > now() - WINDOW_MS);
  await starts.set(key, [...recent, now()].slice(-50), WINDOW_MS);
  const excess = recent.length + 1 - FREE_STARTS;
  if (excess <= 0) return 0;
  const wait = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (excess - 1));
  logger.warn({ startsInLastHour: recent.length + 1, waitMs: wait }, 'restarting often: waiting before connecting to the platforms');
  await sleep(wait);
  return wait;
}
