import { StoreError } from '../errors.ts';
import type { SqliteDatabase } from './sqlite-schema.ts';
import type { Claims } from './store.ts';

// Inserts the claim, or takes over an expired one; RETURNING yields a row only when this call won.
const CLAIM_SQL =
  'INSERT INTO claims(key, expires) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET expires = excluded.expires WHERE claims.expires <= ? RETURNING key';

/** Batched claims reach the file within this delay, or at once when this many are waiting. */
const CLAIM_BATCH_DELAY_MS = 100;
const CLAIM_BATCH_MAX = 1000;

/** Expired claims are deleted once every this many claims. */
const CLAIMS_PER_PRUNE = 10_000;

/** True when this call wins `key` until `expires` (ms since the epoch), judged at `now`. */
export type ClaimDecider = (key: string, expires: number, now: number) => boolean;

export interface SqliteClaimDeciders {
  /** One commit per claim. */
  immediate: ClaimDecider;
  /** Decided in memory, written with the next batch. */
  batched: ClaimDecider;
  /** Writes the batched claims still waiting (before the file closes). */
  flush(): void;
}

/** Both ways of deciding claims in the `claims` table, sharing one pruning schedule. */
export function createSqliteClaims(db: SqliteDatabase): SqliteClaimDeciders {
  const statement = db.prepare<[string, number, number], { key: string }>(CLAIM_SQL);
  const pruneNowAndThen = createPruner(db);
  const batch = createClaimBatch(db, pruneNowAndThen);
  return {
    immediate: (key, expires, now) => {
      pruneNowAndThen(now);
      return statement.get(key, expires, now) !== undefined;
    },
    batched: batch.claim,
    flush: batch.flush,
  };
}

/** The Store's `claims(name)`: keys under the name, failures as StoreErrors naming the file. */
export function sqliteClaims(name: string, decide: ClaimDecider, path: string): Claims {
  return {
    claim: async (key, ttlMs) => {
      const now = Date.now();
      try {
        return decide(`${name}:${key}`, now + ttlMs, now);
      } catch (error) {
        throw new StoreError(`store claims ${name} (${path}): ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

function createPruner(db: SqliteDatabase): (now: number) => void {
  const prune = db.prepare<[number]>('DELETE FROM claims WHERE expires <= ?');
  let claimsSincePrune = 0;
  return (now) => {
    // Expired claims are only dead weight (an update id a day old will not come again).
    if (++claimsSincePrune >= CLAIMS_PER_PRUNE) {
      claimsSincePrune = 0;
      prune.run(now);
    }
  };
}

// Batched claims: decided in memory (this process is the file's only writer, and JavaScript
// runs one claim at a time), written in one transaction per batch instead of one commit each.
function createClaimBatch(db: SqliteDatabase, pruneNowAndThen: (now: number) => void): { claim: ClaimDecider; flush(): void } {
  const held = db.prepare<[string], { expires: number }>('SELECT expires FROM claims WHERE key = ?');
  const upsert = db.prepare<[string, number]>(
    'INSERT INTO claims(key, expires) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET expires = excluded.expires',
  );
  const unwritten = new Map<string, number>();
  const writeAll = db.transaction(() => {
    for (const [key, expires] of unwritten) upsert.run(key, expires);
  });
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (unwritten.size === 0 || !db.open) return;
    writeAll();
    unwritten.clear();
  };
  const claim: ClaimDecider = (key, expires, now) => {
    pruneNowAndThen(now);
    const until = unwritten.get(key) ?? held.get(key)?.expires;
    if (until !== undefined && until > now) return false;
    unwritten.set(key, expires);
    if (unwritten.size >= CLAIM_BATCH_MAX) flush();
    else
      timer ??= setTimeout(() => {
        // A failed batch stays in memory and is retried with the next one.
        try {
          flush();
        } catch {
          timer = undefined;
        }
      }, CLAIM_BATCH_DELAY_MS).unref();
    return true;
  };
  return { claim, flush };
}
