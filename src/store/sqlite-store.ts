import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import Keyv from 'keyv';
import { StoreError } from '../errors.ts';
import { withMemoryCache } from './memory-cache.ts';
import { type KeyValue, PLAIN_JSON, PROBE_NAMESPACE, type Store, wrapKeyv } from './store.ts';

// Inserts the claim, or takes over an expired one; RETURNING yields a row only when this call won.
const CLAIM_SQL =
  'INSERT INTO claims(key, expires) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET expires = excluded.expires WHERE claims.expires <= ? RETURNING key';

/** Batched claims reach the file within this delay, or at once when this many are waiting. */
const CLAIM_BATCH_DELAY_MS = 100;
const CLAIM_BATCH_MAX = 1000;

/** Expired claims are deleted once every this many claims. */
const CLAIMS_PER_PRUNE = 10_000;

export async function openSqlite(path: string): Promise<Store> {
  const [{ default: Database }, { BetterSqliteAdapter }] = await Promise.all([import('better-sqlite3'), import('./sqlite-adapter.ts')]);
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new StoreError(`cannot create the folder for ${path}: ${(error as Error).message}`, { cause: error });
  }
  let db: InstanceType<typeof Database>;
  let claim: (key: string, expires: number, now: number) => boolean;
  let claimBatched: (key: string, expires: number, now: number) => boolean;
  let writeBatchedClaims: () => void;
  let leaseSql: {
    acquire: BetterSqlite3.Statement<[string, string, number, number], { name: string }>;
    release: BetterSqlite3.Statement<[string, string]>;
    current: BetterSqlite3.Statement<[string, number], { holder: string; expires: number }>;
    takeOver: BetterSqlite3.Statement<[string, number, string, string], { name: string }>;
  };
  try {
    db = new Database(path, { timeout: 5000 });
    // WAL lets readers and the writer proceed together; NORMAL sync is safe with WAL.
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, expires INTEGER NOT NULL)');
    db.exec(
      'CREATE TABLE IF NOT EXISTS due_queue (name TEXT NOT NULL, member TEXT NOT NULL, due_at INTEGER NOT NULL, PRIMARY KEY (name, member)); CREATE INDEX IF NOT EXISTS due_queue_by_time ON due_queue (name, due_at)',
    );
    db.exec('CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires INTEGER NOT NULL)');
    leaseSql = {
      acquire: db.prepare<[string, string, number, number], { name: string }>(
        'INSERT INTO leases (name, holder, expires) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires WHERE leases.expires <= ? OR leases.holder = excluded.holder RETURNING name',
      ),
      release: db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND holder = ?'),
      current: db.prepare<[string, number], { holder: string; expires: number }>(
        'SELECT holder, expires FROM leases WHERE name = ? AND expires > ?',
      ),
      // Only while the row still names the holder found gone: a conditional update is the compare-and-set.
      takeOver: db.prepare<[string, number, string, string], { name: string }>(
        'UPDATE leases SET holder = ?, expires = ? WHERE name = ? AND holder = ? RETURNING name',
      ),
    };
    const statement = db.prepare<[string, number, number], { key: string }>(CLAIM_SQL);
    const prune = db.prepare<[number]>('DELETE FROM claims WHERE expires <= ?');
    const held = db.prepare<[string], { expires: number }>('SELECT expires FROM claims WHERE key = ?');
    const upsert = db.prepare<[string, number]>(
      'INSERT INTO claims(key, expires) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET expires = excluded.expires',
    );
    let claimsSincePrune = 0;
    const pruneNowAndThen = (now: number) => {
      // Expired claims are only dead weight (an update id a day old will not come again).
      if (++claimsSincePrune >= CLAIMS_PER_PRUNE) {
        claimsSincePrune = 0;
        prune.run(now);
      }
    };
    claim = (key, expires, now) => {
      pruneNowAndThen(now);
      return statement.get(key, expires, now) !== undefined;
    };
    // Batched claims: decided in memory (this process is the file's only writer, and JavaScript
    // runs one claim at a time), written in one transaction per batch instead of one commit each.
    const unwritten = new Map<string, number>();
    const writeAll = db.transaction(() => {
      for (const [key, expires] of unwritten) upsert.run(key, expires);
    });
    let timer: NodeJS.Timeout | undefined;
    writeBatchedClaims = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (unwritten.size === 0 || !db.open) return;
      writeAll();
      unwritten.clear();
    };
    claimBatched = (key, expires, now) => {
      pruneNowAndThen(now);
      const until = unwritten.get(key) ?? held.get(key)?.expires;
      if (until !== undefined && until > now) return false;
      unwritten.set(key, expires);
      if (unwritten.size >= CLAIM_BATCH_MAX) writeBatchedClaims();
      else
        timer ??= setTimeout(() => {
          // A failed batch stays in memory and is retried with the next one.
          try {
            writeBatchedClaims();
          } catch {
            timer = undefined;
          }
        }, CLAIM_BATCH_DELAY_MS).unref();
      return true;
    };
  } catch (error) {
    throw new StoreError(`cannot open the SQLite file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const cache = new Map<string, KeyValue<unknown>>();
  const cachedNames = new Set<string>();
  const namespace = <T>(name: string, options: { cacheEntries?: number } = {}): KeyValue<T> => {
    let kv = cache.get(name);
    // Two views of one namespace, one cached and one not, would serve stale records.
    if (kv && cachedNames.has(name) !== Boolean(options.cacheEntries))
      throw new Error(`store namespace ${name} is already open ${cachedNames.has(name) ? 'with' : 'without'} a memory cache`);
    if (!kv) {
      // One adapter per namespace: keyv's iterator/clear go wrong when namespaces share one.
      const plain = wrapKeyv(
        new Keyv<unknown>({ store: new BetterSqliteAdapter(db), namespace: name, throwOnErrors: true, ...PLAIN_JSON }),
        `${name} (${path})`,
      );
      kv = options.cacheEntries ? withMemoryCache(plain, options.cacheEntries) : plain;
      if (options.cacheEntries) cachedNames.add(name);
      cache.set(name, kv);
    }
    return kv as KeyValue<T>;
  };
  const queueSql = {
    put: db.prepare<[string, string, number]>(
      'INSERT INTO due_queue (name, member, due_at) VALUES (?, ?, ?) ON CONFLICT(name, member) DO UPDATE SET due_at = excluded.due_at',
    ),
    remove: db.prepare<[string, string]>('DELETE FROM due_queue WHERE name = ? AND member = ?'),
    due: db.prepare<[string, number, number], { member: string; dueAt: number }>(
      'SELECT member, due_at AS dueAt FROM due_queue WHERE name = ? AND due_at <= ? ORDER BY due_at LIMIT ?',
    ),
    all: db.prepare<[string], { member: string; dueAt: number }>(
      'SELECT member, due_at AS dueAt FROM due_queue WHERE name = ? ORDER BY due_at',
    ),
  };
  const sqliteOp = <T>(what: string, op: () => T): T => {
    try {
      return op();
    } catch (error) {
      throw new StoreError(`store ${what} (${path}): ${(error as Error).message}`, { cause: error });
    }
  };
  return {
    backend: 'sqlite',
    shared: false,
    lease: (name) => ({
      acquire: async (holder, ttlMs) => {
        const now = Date.now();
        return sqliteOp(`lease ${name}`, () => leaseSql.acquire.get(name, holder, now + ttlMs, now) !== undefined);
      },
      release: async (holder) => void sqliteOp(`lease ${name}`, () => leaseSql.release.run(name, holder)),
      current: async () => sqliteOp(`lease ${name}`, () => leaseSql.current.get(name, Date.now())),
      takeOver: async (expected, holder, ttlMs) =>
        sqliteOp(`lease ${name}`, () => leaseSql.takeOver.get(holder, Date.now() + ttlMs, name, expected) !== undefined),
    }),
    location: path,
    namespace,
    dueQueue: (name) => ({
      put: async (member, dueAt) => void sqliteOp(`queue ${name}`, () => queueSql.put.run(name, member, dueAt)),
      remove: async (member) => void sqliteOp(`queue ${name}`, () => queueSql.remove.run(name, member)),
      due: async (at, limit) => sqliteOp(`queue ${name}`, () => queueSql.due.all(name, at, limit)),
      all: async () => sqliteOp(`queue ${name}`, () => queueSql.all.all(name)),
    }),
    claims: (name, options = {}) => {
      const decide = options.durability === 'batched' ? claimBatched : claim;
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
    },
    async ping() {
      const probe = namespace<number>(PROBE_NAMESPACE);
      try {
        await probe.set('ping', Date.now());
        await probe.get('ping');
      } catch (error) {
        const cause = (error as StoreError).cause;
        throw new StoreError(`cannot write the SQLite file ${path}: ${cause instanceof Error ? cause.message : (error as Error).message}`, {
          cause: error,
        });
      }
    },
    async close() {
      if (!db.open) return;
      try {
        writeBatchedClaims();
      } finally {
        db.close();
      }
    },
  };
}
