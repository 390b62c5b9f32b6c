import Keyv from 'keyv';
import { withMemoryCache } from './memory-cache.ts';
import type { BetterSqliteAdapter } from './sqlite-adapter.ts';
import type { SqliteDatabase } from './sqlite-schema.ts';
import { type KeyValue, PLAIN_JSON, type Store, wrapKeyv } from './store.ts';

export interface SqliteNamespaceDeps {
  db: SqliteDatabase;
  path: string;
  /** Passed in because the adapter module loads on demand, with better-sqlite3. */
  Adapter: typeof BetterSqliteAdapter;
}

/** The Store's `namespace`: one KeyValue per name, opened on first use and reused after. */
export function createSqliteNamespaces({ db, path, Adapter }: SqliteNamespaceDeps): Store['namespace'] {
  const cache = new Map<string, KeyValue<unknown>>();
  const cachedNames = new Set<string>();
  return <T>(name: string, options: { cacheEntries?: number } = {}): KeyValue<T> => {
    let kv = cache.get(name);
    // Two views of one namespace, one cached and one not, would serve stale records.
    if (kv && cachedNames.has(name) !== Boolean(options.cacheEntries))
      throw new Error(`store namespace ${name} is already open ${cachedNames.has(name) ? 'with' : 'without'} a memory cache`);
    if (!kv) {
      // One adapter per namespace: keyv's iterator/clear go wrong when namespaces share one.
      const plain = wrapKeyv(
        new Keyv<unknown>({ store: new Adapter(db), namespace: name, throwOnErrors: true, ...PLAIN_JSON }),
        `${name} (${path})`,
      );
      kv = options.cacheEntries ? withMemoryCache(plain, options.cacheEntries) : plain;
      if (options.cacheEntries) cachedNames.add(name);
      cache.set(name, kv);
    }
    return kv as KeyValue<T>;
  };
}
