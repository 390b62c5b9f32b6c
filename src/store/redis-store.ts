import type { createClient as CreateClient } from '@keyv/redis';
import { StoreError } from '../errors.ts';
import { createRedisNamespaces, type RedisClient, redisClaims, redisDueQueue, redisLease } from './redis-ops.ts';
import type { Store } from './store.ts';

export async function openRedis(target: { url: string; location: string }, connectTimeoutMs: number): Promise<Store> {
  const { default: KeyvRedis, createClient } = await import('@keyv/redis');
  const client = createRedisClient(createClient, target.url, connectTimeoutMs);
  await connectRedis(client, target.location, connectTimeoutMs);
  const ctx = { client, location: target.location };
  return {
    backend: 'redis',
    shared: true,
    lease: (name) => redisLease(ctx, name),
    location: target.location,
    namespace: createRedisNamespaces(ctx, KeyvRedis),
    dueQueue: (name) => redisDueQueue(ctx, name),
    claims: (name) => redisClaims(ctx, name),
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

function createRedisClient(createClient: typeof CreateClient, url: string, connectTimeoutMs: number): RedisClient {
  return createClient({
    url,
    // While Redis is away, fail at once (the user gets an apology) instead of queueing the
    // command until it returns (the reply would hang for as long as Redis is down).
    disableOfflineQueue: true,
    // Keep reconnecting after a drop, but never faster than every 2 s.
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
  });
}

/** Connects within the timeout, or destroys the client and throws a StoreError with the last error seen. */
async function connectRedis(client: RedisClient, location: string, connectTimeoutMs: number): Promise<void> {
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
    throw new StoreError(`cannot reach Redis at ${location}: ${reason || 'connection refused'}`);
  }
}
