/**
 * Runs `work` over `items` with at most `limit` under way at once. Once `signal` aborts, no new
 * item starts; those under way finish. Failures of one item do not stop the others: `work`
 * is expected to handle its own errors (the first one that escapes is rethrown at the end).
 */
export async function mapBounded<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let firstError: unknown;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (firstError !== undefined) throw firstError;
}

/** Calls `attempt`, and again after each delay while it throws; the last error is rethrown. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  delaysMs: readonly number[],
  sleep: (ms: number) => Promise<void>,
  onRetry: (error: unknown, attempt: number) => void,
): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      const delay = delaysMs[i];
      if (delay === undefined) throw error;
      onRetry(error, i + 1);
      await sleep(delay);
    }
  }
}
