import Keyv from 'keyv';
import { StoreError } from '../errors.ts';
import { type KeyValue, PLAIN_JSON, type Store, wrapKeyv } from './store.ts';

// Atomic on the server: take or renew the lease only when free or already ours; release only ours.
const LEASE_ACQUIRE =
  "local v = redis.call('GET', KEYS[1]) if (not v) or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end return 0";
const LEASE_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
const LEASE_TAKE_OVER =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0";

export async function openRedis(target: { url: string; location: string }, connectTimeoutMs: number): Promise<Store> {
  const { default: KeyvRedis, createClient } = await import('@keyv/redis');
  const client = createClient({
    url: target.url,
    // While Redis is away, fail at once (the user gets an apology) instead of queueing the
    // command until it returns (the reply would hang for as long as Redis is down).
    disableOfflineQueue: true,
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
      kv = wrapKeyv(
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
    shared: true,
    lease: (name) => {
      const key = `lease:${name}`;
      return {
        acquire: (holder, ttlMs) =>
          redisOp(
            `lease ${name}`,
            async () =>
              Number(await client.eval(LEASE_ACQUIRE, { keys: [key], arguments: [holder, String(Math.max(1, Math.round(ttlMs)))] })) === 1,
          ),
        release: (holder) =>
          redisOp(`lease ${name}`, async () => void (await client.eval(LEASE_RELEASE, { keys: [key], arguments: [holder] }))),
        current: () =>
          redisOp(`lease ${name}`, async () => {
            const [holder, ttl] = await client.multi().get(key).pTTL(key).exec();
            return typeof holder === 'string' && Number(ttl) > 0 ? { holder, expires: Date.now() + Number(ttl) } : undefined;
          }),
        takeOver: (expected, holder, ttlMs) =>
          redisOp(
            `lease ${name}`,
            async () =>
              Number(
                await client.eval(LEASE_TAKE_OVER, {
                  keys: [key],
                  arguments: [expected, holder, String(Math.max(1, Math.round(ttlMs)))],
                }),
              ) === 1,
          ),
      };
    },
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
