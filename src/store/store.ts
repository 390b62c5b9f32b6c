import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import { StoreError } from '../errors.ts';

/** A namespaced key-value map with optional expiry. Values are JSON-serializable. */
export interface KeyValue<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T, ttlMs?: number): Promise<void>;
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

export interface Store {
  readonly backend: 'sqlite' | 'redis';
  claims(name: string): Claims;
  dueQueue(name: string): DueQueue;
  /** Where the data lives, without credentials: a file path or host:port. */
  readonly location: string;
  namespace<T>(name: string): KeyValue<T>;
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

function wrap<T>(keyv: Keyv<T>, label: string): KeyValue<T> {
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
    async delete(key) {
      try {
        return await keyv.delete(key);
      } catch (error) {
        return fail('delete', error);
      }
    },
  };
}

const PROBE_NAMESPACE = 'health';
/** Values here are plain JSON: keyv's default serializer (Buffer-aware) costs more per call. */
const PLAIN_JSON = { serialize: JSON.stringify, deserialize: JSON.parse } as const;

export async function openStore(url: string, options: { connectTimeoutMs?: number } = {}): Promise<Store> {
  const target = parseStoreUrl(url);
  // Backends load on demand: the Redis client alone costs ~18 MB that a SQLite bot never needs.
  const store = target.backend === 'sqlite' ? await openSqlite(target.path) : await openRedis(target, options.connectTimeoutMs ?? 3000);
  try {
    await store.ping();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

// Inserts the claim, or takes over an expired one; RETURNING yields a row only when this call won.
const CLAIM_SQL =
  'INSERT INTO claims(key, expires) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET expires = excluded.expires WHERE claims.expires <= ? RETURNING key';

async function openSqlite(path: string): Promise<Store> {
  const [{ default: Database }, { BetterSqliteAdapter }] = await Promise.all([import('better-sqlite3'), import('./sqlite-adapter.ts')]);
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new StoreError(`cannot create the folder for ${path}: ${(error as Error).message}`, { cause: error });
  }
  let db: InstanceType<typeof Database>;
  let claim: (key: string, expires: number, now: number) => boolean;
  try {
    db = new Database(path, { timeout: 5000 });
    // WAL lets readers and the writer proceed together; NORMAL sync is safe with WAL.
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, expires INTEGER NOT NULL)');
    db.exec(
      'CREATE TABLE IF NOT EXISTS due_queue (name TEXT NOT NULL, member TEXT NOT NULL, due_at INTEGER NOT NULL, PRIMARY KEY (name, member)); CREATE INDEX IF NOT EXISTS due_queue_by_time ON due_queue (name, due_at)',
    );
    const statement = db.prepare<[string, number, number], { key: string }>(CLAIM_SQL);
    claim = (key, expires, now) => statement.get(key, expires, now) !== undefined;
  } catch (error) {
    throw new StoreError(`cannot open the SQLite file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const cache = new Map<string, KeyValue<unknown>>();
  const namespace = <T>(name: string): KeyValue<T> => {
    let kv = cache.get(name);
    if (!kv) {
      // One adapter per namespace: keyv's iterator/clear go wrong when namespaces share one.
      kv = wrap(
        new Keyv<unknown>({ store: new BetterSqliteAdapter(db), namespace: name, throwOnErrors: true, ...PLAIN_JSON }),
        `${name} (${path})`,
      );
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
    location: path,
    namespace,
    dueQueue: (name) => ({
      put: async (member, dueAt) => void sqliteOp(`queue ${name}`, () => queueSql.put.run(name, member, dueAt)),
      remove: async (member) => void sqliteOp(`queue ${name}`, () => queueSql.remove.run(name, member)),
      due: async (at, limit) => sqliteOp(`queue ${name}`, () => queueSql.due.all(name, at, limit)),
      all: async () => sqliteOp(`queue ${name}`, () => queueSql.all.all(name)),
    }),
    claims: (name) => ({
      claim: async (key, ttlMs) => {
        const now = Date.now();
        try {
          return claim(`${name}:${key}`, now + ttlMs, now);
        } catch (error) {
          throw new StoreError(`store claims ${name} (${path}): ${(error as Error).message}`, { cause: error });
        }
      },
    }),
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
      if (db.open) db.close();
    },
  };
}

async function openRedis(target: { url: string; location: string }, connectTimeoutMs: number): Promise<Store> {
  const { default: KeyvRedis, createClient } = await import('@keyv/redis');
  const client = createClient({
    url: target.url,
    // Keep reconnecting after a drop, but never faster than every 2 s.
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
  });
  let lastError: unknown;
  client.on('error', (error: unknown) => {
    lastError = error;
  });
  const connected = await Promise.race([
    client.connect().then(() => true),
    new Promise<false>((r) => setTimeout(() => r(false), connectTimeoutMs).unref()),
  ]).catch((error: unknown) => {
    lastError = error;
    return false;
  });
  if (!connected) {
    client.destroy();
    const reason = lastError instanceof Error ? lastError.message : 'no answer';
    throw new StoreError(`cannot reach Redis at ${target.location}: ${reason || 'connection refused'}`);
  }
  const cache = new Map<string, KeyValue<unknown>>();
  const namespace = <T>(name: string): KeyValue<T> => {
    let kv = cache.get(name);
    if (!kv) {
      const adapter = new KeyvRedis<unknown>(client as never, { namespace: name, throwOnConnectError: true, throwOnErrors: true });
      kv = wrap(
        new Keyv<unknown>({ store: adapter, namespace: name, useKeyPrefix: false, throwOnErrors: true, ...PLAIN_JSON }),
        `${name} (redis ${target.location})`,
      );
      cache.set(name, kv);
    }
    return kv as KeyValue<T>;
  };
  const redisOp = async <T>(what: string, op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (error) {
      throw new StoreError(`store ${what} (redis ${target.location}): ${(error as Error).message}`, { cause: error });
    }
  };
  return {
    backend: 'redis',
    location: target.location,
    namespace,
    dueQueue: (name) => {
      const key = `due:${name}`;
      return {
        put: (member, dueAt) => redisOp(`queue ${name}`, async () => void (await client.zAdd(key, { score: dueAt, value: member }))),
        remove: (member) => redisOp(`queue ${name}`, async () => void (await client.zRem(key, member))),
        due: (at, limit) =>
          redisOp(`queue ${name}`, async () =>
            (await client.zRangeWithScores(key, 0, at, { BY: 'SCORE', LIMIT: { offset: 0, count: limit } })).map((e) => ({
              member: String(e.value),
              dueAt: e.score,
            })),
          ),
        all: () =>
          redisOp(`queue ${name}`, async () =>
            (await client.zRangeWithScores(key, 0, -1)).map((e) => ({ member: String(e.value), dueAt: e.score })),
          ),
      };
    },
    claims: (name) => ({
      claim: async (key, ttlMs) => {
        try {
          return (await client.set(`claims:${name}:${key}`, '1', { NX: true, PX: Math.max(1, Math.round(ttlMs)) })) === 'OK';
        } catch (error) {
          throw new StoreError(`store claims ${name} (redis ${target.location}): ${(error as Error).message}`, { cause: error });
        }
      },
    }),
    async ping() {
      try {
        await client.ping();
      } catch (error) {
        throw new StoreError(`Redis at ${target.location} does not answer: ${(error as Error).message}`, { cause: error });
      }
    },
    async close() {
      if (client.isOpen) await client.close().catch(() => client.destroy());
    },
  };
}
