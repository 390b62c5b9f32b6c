import { LRUCache } from 'lru-cache';
import type { KeyValue } from './store.ts';

/**
 * A write-through cache in front of a namespace, for a store only this process writes (SQLite
 * serves one process). Reads of hot records (a chat's state, read on every message) then skip
 * the database and the JSON parsing; writes still go to the database before they resolve.
 */
export function withMemoryCache<T>(kv: KeyValue<T>, maxEntries: number): KeyValue<T> {
  // Holder objects, so "known to be absent" can be cached as well as values.
  const cache = new LRUCache<string, { value: T | undefined }>({ max: maxEntries });
  return {
    async get(key) {
      const hit = cache.get(key);
      if (hit) return hit.value;
      const value = await kv.get(key);
      cache.set(key, { value });
      return value;
    },
    async set(key, value, ttlMs) {
      // Dropped first: if the write fails, the next read goes to the database, never to a stale copy.
      cache.delete(key);
      await kv.set(key, value, ttlMs);
      cache.set(key, { value }, ttlMs ? { ttl: ttlMs } : undefined);
    },
    async setMany(entries) {
      for (const { key } of entries) cache.delete(key);
      await kv.setMany(entries);
      for (const { key, value, ttlMs } of entries) cache.set(key, { value }, ttlMs ? { ttl: ttlMs } : undefined);
    },
    async delete(key) {
      cache.delete(key);
      return kv.delete(key);
    },
  };
}
