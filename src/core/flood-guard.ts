import { LRUCache } from 'lru-cache';

export type FloodVerdict = 'ok' | 'notice' | 'silent';

/**
 * Per-sender message limit over a sliding minute, in this process's memory (a flood is
 * local and short; sharing it through the store would cost every message a round trip).
 * The first message over the limit earns one notice; the rest of that minute's are ignored.
 */
export function createFloodGuard(perMinute: number, now: () => number, maxSenders = 50_000) {
  const recent = new LRUCache<string, { times: number[]; noticed: boolean }>({ max: maxSenders });
  return {
    check(sender: string): FloodVerdict {
      const at = now();
      const entry = recent.get(sender) ?? { times: [], noticed: false };
      while (entry.times.length > 0 && (entry.times[0] as number) <= at - 60_000) entry.times.shift();
      if (entry.times.length === 0) entry.noticed = false;
      recent.set(sender, entry);
      if (entry.times.length < perMinute) {
        entry.times.push(at);
        return 'ok';
      }
      if (entry.noticed) return 'silent';
      entry.noticed = true;
      return 'notice';
    },
  };
}
