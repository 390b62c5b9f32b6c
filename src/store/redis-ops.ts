import type KeyvRedis from '@keyv/redis';
import type { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import { StoreError } from '../errors.ts';
import { type Claims, type DueQueue, type KeyValue, type Lease, PLAIN_JSON, type Store, wrapKeyv } from './store.ts';

export type RedisClient = ReturnType<typeof createClient>;

/** What every Redis-backed part of the store needs: the connected client and where it points. */
export interface RedisContext {
  client: RedisClient;
  /** host:port, for error messages. */
  location: string;
}

// Atomic on the server: take or renew the lease only when free or already ours; release only ours.
const LEASE_ACQUIRE =
  "local v = redis.call('GET', KEYS[1]) if (not v) or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end return 0";
const LEASE_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
const LEASE_TAKE_OVER =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0";

/** Redis takes whole milliseconds, and at least one. */
const pxOf = (ttlMs: number): number => Math.max(1, Math.round(ttlMs));

async function redisOp<T>(ctx: RedisContext, what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (error) {
    throw new StoreError(`store ${what} (redis ${ctx.location}): ${(error as Error).message}`, { cause: error });
  }
}

/** The Store's `namespace`: one KeyValue per name, opened on first use and reused after. */
export function createRedisNamespaces(ctx: RedisContext, Adapter: typeof KeyvRedis): Store['namespace'] {
  const cache = new Map<string, KeyValue<unknown>>();
  return <T>(name: string): KeyValue<T> => {
    let kv = cache.get(name);
    if (!kv) {
      const adapter = new Adapter<unknown>(ctx.client as never, { namespace: name, throwOnConnectError: true, throwOnErrors: true });
      kv = wrapKeyv(
        new Keyv<unknown>({ store: adapter, namespace: name, useKeyPrefix: false, throwOnErrors: true, ...PLAIN_JSON }),
        `${name} (redis ${ctx.location})`,
      );
      cache.set(name, kv);
    }
    return kv as KeyValue<T>;
  };
}

export function redisLease(ctx: RedisContext, name: string): Lease {
  const { client } = ctx;
  const key = `lease:${name}`;
  const what = `lease ${name}`;
  return {
    acquire: (holder, ttlMs) =>
      redisOp(
        ctx,
        what,
        async () => Number(await client.eval(LEASE_ACQUIRE, { keys: [key], arguments: [holder, String(pxOf(ttlMs))] })) === 1,
      ),
    release: (holder) => redisOp(ctx, what, async () => void (await client.eval(LEASE_RELEASE, { keys: [key], arguments: [holder] }))),
    current: () =>
      redisOp(ctx, what, async () => {
        const [holder, ttl] = await client.multi().get(key).pTTL(key).exec();
        return typeof holder === 'string' && Number(ttl) > 0 ? { holder, expires: Date.now() + Number(ttl) } : undefined;
      }),
    takeOver: (expected, holder, ttlMs) =>
      redisOp(
        ctx,
        what,
        async () => Number(await client.eval(LEASE_TAKE_OVER, { keys: [key], arguments: [expected, holder, String(pxOf(ttlMs))] })) === 1,
      ),
  };
}

export function redisDueQueue(ctx: RedisContext, name: string): DueQueue {
  const { client } = ctx;
  const key = `due:${name}`;
  const what = `queue ${name}`;
  return {
    put: (member, dueAt) => redisOp(ctx, what, async () => void (await client.zAdd(key, { score: dueAt, value: member }))),
    remove: (member) => redisOp(ctx, what, async () => void (await client.zRem(key, member))),
    due: (at, limit) =>
      redisOp(ctx, what, async () =>
        (await client.zRangeWithScores(key, 0, at, { BY: 'SCORE', LIMIT: { offset: 0, count: limit } })).map((e) => ({
          member: String(e.value),
          dueAt: e.score,
        })),
      ),
    all: () =>
      redisOp(ctx, what, async () => (await client.zRangeWithScores(key, 0, -1)).map((e) => ({ member: String(e.value), dueAt: e.score }))),
  };
}

export function redisClaims(ctx: RedisContext, name: string): Claims {
  return {
    claim: async (key, ttlMs) => {
      try {
        return (await ctx.client.set(`claims:${name}:${key}`, '1', { NX: true, PX: pxOf(ttlMs) })) === 'OK';
      } catch (error) {
        throw new StoreError(`store claims ${name} (redis ${ctx.location}): ${(error as Error).message}`, { cause: error });
      }
    },
  };
}
