import type { KeyValue } from './store.ts';

export interface WriteBehind<T> extends KeyValue<T> {
  /** Writes everything still buffered; resolves when it is stored (graceful shutdown). */
  flush(): Promise<void>;
}

export interface WriteBehindOptions {
  /** How long a write may wait to be batched with others. */
  delayMs: number;
  /** A batch is written at once when it reaches this many records. */
  maxPending: number;
  /** A failed batch: its records are lost from the store (they stay readable until replaced). */
  onError(error: unknown, keys: readonly string[]): void;
}

interface Pending<T> {
  value: T;
  ttlMs?: number;
}

/**
 * Buffers writes to a namespace and stores them in batches (one SQLite transaction, one Redis
 * round trip), the last write of a key winning. Reads see buffered writes first, so this
 * process always reads its own writes. For records that may lag the message that changed them
 * by `delayMs` (a chat's turn context); a caller that needs a write stored awaits `set`.
 */
export function writeBehind<T>(target: KeyValue<T>, options: WriteBehindOptions): WriteBehind<T> {
  let pending = new Map<string, Pending<T>>();
  let inFlight = new Map<string, Pending<T>>();
  let timer: NodeJS.Timeout | undefined;
  let batch = deferred();
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return writing;
    const entries = pending;
    const done = batch;
    pending = new Map();
    batch = deferred();
    // Batches are written one after another, so an older batch never lands after a newer one.
    writing = writing.then(async () => {
      inFlight = entries;
      try {
        await target.setMany([...entries].map(([key, { value, ttlMs }]) => ({ key, value, ttlMs })));
        done.resolve();
      } catch (error) {
        options.onError(error, [...entries.keys()]);
        done.reject(error);
      } finally {
        inFlight = new Map();
      }
    });
    return writing;
  }

  return {
    async get(key) {
      const buffered = pending.get(key) ?? inFlight.get(key);
      return buffered ? buffered.value : target.get(key);
    },
    set(key, value, ttlMs) {
      pending.set(key, { value, ttlMs });
      const stored = batch.promise;
      if (pending.size >= options.maxPending) void flush();
      else if (!timer) timer = setTimeout(() => void flush(), options.delayMs).unref();
      return stored;
    },
    async setMany(entries) {
      for (const { key, value, ttlMs } of entries) pending.set(key, { value, ttlMs });
      const stored = batch.promise;
      await flush();
      return stored;
    },
    async delete(key) {
      pending.delete(key);
      // A batch already on its way could otherwise store the key again after this delete.
      await writing;
      return target.delete(key);
    },
    flush,
  };
}

function deferred(): { promise: Promise<void>; resolve(): void; reject(error: unknown): void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers that do not await a write must not turn its failure into an unhandled rejection;
  // the failure is reported once through onError.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
