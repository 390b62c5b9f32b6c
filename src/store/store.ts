import { resolve } from 'node:path';
import type Keyv from 'keyv';
import { StoreError } from '../errors.ts';

/** A namespaced key-value map with optional expiry. Values are JSON-serializable. */
export interface KeyValue<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T, ttlMs?: number): Promise<void>;
  /** Several records at once: one transaction (SQLite) or one round trip (Redis). */
  setMany(entries: readonly { key: string; value: T; ttlMs?: number }[]): Promise<void>;
  delete(key: string): Promise<boolean>;
}

/**
 * Atomic "first one wins" marks with expiry (Redis SET NX PX; SQLite INSERT … ON CONFLICT),
 * which keyv does not offer: an update id handled once, a reminder slot posted once.
 */
export interface Claims {
  /** True for the one caller that claims `key` first; false while an unexpired claim exists. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/**
 * Members ordered by a due time (reminder subscriptions by next slot), which keyv cannot
 * query: a Redis sorted set, or an indexed SQLite table.
 */
export interface DueQueue {
  put(member: string, dueAt: number): Promise<void>;
  remove(member: string): Promise<void>;
  /** Members due at or before `at`, earliest first. */
  due(at: number, limit: number): Promise<{ member: string; dueAt: number }[]>;
  all(): Promise<{ member: string; dueAt: number }[]>;
}

/** A named lease: one holder at a time, kept by renewing it before it expires. */
export interface Lease {
  /** Takes the lease, or renews it for its current holder; false while another holder has it. */
  acquire(holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `holder` has it. */
  release(holder: string): Promise<void>;
  /** Who holds the lease now and until when (ms since the epoch); undefined when it is free or expired. */
  current(): Promise<{ holder: string; expires: number } | undefined>;
  /**
   * Takes the lease from `expected` (a holder found gone) in one atomic step, so two processes
   * taking over the same dead holder cannot both win; false when someone else holds it by now.
   */
  takeOver(expected: string, holder: string, ttlMs: number): Promise<boolean>;
}

export interface Store {
  readonly backend: 'sqlite' | 'redis';
  /** Whether several processes may use this store at once (Redis); a SQLite file serves one. */
  readonly shared: boolean;
  lease(name: string): Lease;
  /**
   * Claims under a name. `durability: 'batched'` lets the backend record a won claim with the
   * next batch (SQLite: within 100 ms, one transaction for many) instead of one commit per
   * claim, so a claim won just before a crash can be forgotten. Meant for marks whose loss
   * costs little (an update id that could then be answered again after a crash); never for
   * reminder slots. Redis always records at once.
   */
  claims(name: string, options?: { durability?: 'immediate' | 'batched' }): Claims;
  dueQueue(name: string): DueQueue;
  /** Where the data lives, without credentials: a file path or host:port. */
  readonly location: string;
  /**
   * A namespace. `cacheEntries` keeps that many recent records in memory where that is safe
   * (a SQLite file only this process writes); with Redis, shared by processes, it is ignored.
   */
  namespace<T>(name: string, options?: { cacheEntries?: number }): KeyValue<T>;
  /** Resolves when the backend answers a round trip; rejects with a StoreError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type StoreTarget = { backend: 'sqlite'; path: string } | { backend: 'redis'; url: string; location: string };

/** Pure: `sqlite://<relative or absolute path>` or `redis://[user:pass@]host:port[/db]`. */
export function parseStoreUrl(url: string, cwd = process.cwd()): StoreTarget {
  if (url.startsWith('sqlite://')) {
    const path = url.slice('sqlite://'.length);
    // An in-memory SQLite database: the real engine, gone when the process ends (tests, one-off CLI runs).
    if (path === ':memory:') return { backend: 'sqlite', path };
    if (!path) throw new StoreError('STORE_URL: sqlite:// needs a file path, e.g. sqlite://./data/bot.sqlite');
    return { backend: 'sqlite', path: resolve(cwd, path) };
  }
  if (/^rediss?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new StoreError('STORE_URL: not a valid redis:// URL');
    }
    if (!parsed.hostname) throw new StoreError('STORE_URL: redis:// needs a host, e.g. redis://localhost:6379');
    return { backend: 'redis', url, location: `${parsed.hostname}:${parsed.port || '6379'}` };
  }
  throw new StoreError('STORE_URL: expected sqlite://<path> or redis://host:port');
}

/** A keyv instance as a KeyValue whose failures are StoreErrors naming the namespace and backend. */
export function wrapKeyv<T>(keyv: Keyv<T>, label: string): KeyValue<T> {
  const fail = (op: string, error: unknown): never => {
    throw new StoreError(`store ${label}: ${op} failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  };
  return {
    async get(key) {
      try {
        return (await keyv.get(key)) as T | undefined;
      } catch (error) {
        return fail('get', error);
      }
    },
    async set(key, value, ttlMs) {
      try {
        await keyv.set(key, value, ttlMs);
      } catch (error) {
        fail('set', error);
      }
    },
    async setMany(entries) {
      try {
        await keyv.setMany(entries.map(({ key, value, ttlMs }) => ({ key, value, ttl: ttlMs })));
      } catch (error) {
        fail('setMany', error);
      }
    },
    async delete(key) {
      try {
        return await keyv.delete(key);
      } catch (error) {
        return fail('delete', error);
      }
    },
  };
}

export const PROBE_NAMESPACE = 'health';
/** Values here are plain JSON: keyv's default serializer (Buffer-aware) costs more per call. */
export const PLAIN_JSON = { serialize: JSON.stringify, deserialize: JSON.parse } as const;

export async function openStore(url: string, options: { connectTimeoutMs?: number } = {}): Promise<Store> {
  const target = parseStoreUrl(url);
  // Backends load on demand: the Redis client alone costs ~18 MB that a SQLite bot never needs.
  const store =
    target.backend === 'sqlite'
      ? await (await import('./sqlite-store.ts')).openSqlite(target.path)
      : await (await import('./redis-store.ts')).openRedis(target, options.connectTimeoutMs ?? 3000);
  try {
    await store.ping();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
