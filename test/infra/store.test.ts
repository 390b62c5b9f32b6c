import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { StoreError } from '../../src/errors.ts';
import { openStore, parseStoreUrl } from '../../src/store/store.ts';

const redisUrl = inject('redisUrl');
const tmp = () => mkdtempSync(join(tmpdir(), 'store-test-'));

const backends = [
  { name: 'SQLite file', url: () => `sqlite://${join(tmp(), 'nested', 'bot.sqlite')}`, skip: false },
  { name: 'Redis server', url: () => redisUrl, skip: !redisUrl },
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(`store on a real ${backend.name}`, () => {
    it('keeps values per namespace', async () => {
      const store = await openStore(backend.url());
      const ns = `t${Math.random().toString(36).slice(2)}`;
      const a = store.namespace<{ lang: string }>(`${ns}-a`);
      const b = store.namespace<{ lang: string }>(`${ns}-b`);
      await a.set('chat:1', { lang: 'zh-Hant' });
      expect(await a.get('chat:1')).toEqual({ lang: 'zh-Hant' });
      expect(await b.get('chat:1')).toBeUndefined();
      expect(await a.delete('chat:1')).toBe(true);
      expect(await a.get('chat:1')).toBeUndefined();
      await store.close();
    });

    it('expires values after their TTL', async () => {
      const store = await openStore(backend.url());
      const kv = store.namespace<string>(`ttl${Math.random().toString(36).slice(2)}`);
      await kv.set('short', 'gone soon', 150);
      await kv.set('long', 'stays', 60_000);
      expect(await kv.get('short')).toBe('gone soon');
      await new Promise((r) => setTimeout(r, 400));
      expect(await kv.get('short')).toBeUndefined();
      expect(await kv.get('long')).toBe('stays');
      await store.close();
    });

    it('claims: exactly one of many concurrent claimers wins, and an expired claim can be taken again', async () => {
      const store = await openStore(backend.url());
      const claims = store.claims(`c${Math.random().toString(36).slice(2)}`);
      const results = await Promise.all(Array.from({ length: 20 }, () => claims.claim('update:42', 300)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await claims.claim('update:43', 300)).toBe(true);
      await new Promise((r) => setTimeout(r, 400));
      expect(await claims.claim('update:42', 300)).toBe(true);
      await store.close();
    });

    it('due queue: members come out by due time, updates move them, removal drops them', async () => {
      const store = await openStore(backend.url());
      const queue = store.dueQueue(`q${Math.random().toString(36).slice(2)}`);
      await queue.put('telegram:-1', 3000);
      await queue.put('discord:2', 1000);
      await queue.put('telegram:-3', 2000);
      expect(await queue.due(2500, 10)).toEqual([
        { member: 'discord:2', dueAt: 1000 },
        { member: 'telegram:-3', dueAt: 2000 },
      ]);
      await queue.put('discord:2', 5000);
      await queue.remove('telegram:-3');
      expect((await queue.due(2500, 10)).map((e) => e.member)).toEqual([]);
      expect((await queue.all()).map((e) => e.member)).toEqual(['telegram:-1', 'discord:2']);
      expect(await queue.due(10_000, 1)).toHaveLength(1);
      await store.close();
    });

    it('reads after a restart what was written before it', async () => {
      const url = backend.url();
      const ns = `restart${Math.random().toString(36).slice(2)}`;
      const first = await openStore(url);
      await first.namespace<number[]>(ns).set('rotation', [3, 1, 2]);
      expect(await first.claims(ns).claim('slot', 60_000)).toBe(true);
      await first.close();
      const second = await openStore(url);
      expect(await second.namespace<number[]>(ns).get('rotation')).toEqual([3, 1, 2]);
      expect(await second.claims(ns).claim('slot', 60_000)).toBe(false);
      await second.close();
    });
  });
}

describe('store start-up failures give one clear line', () => {
  it('names an unreachable Redis', async () => {
    const error = await openStore('redis://127.0.0.1:1', { connectTimeoutMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^cannot reach Redis at 127\.0\.0\.1:1/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('names a SQLite file that is not a database', async () => {
    const file = join(tmp(), 'corrupt.sqlite');
    writeFileSync(file, 'this is not a database, just text '.repeat(200));
    const error = await openStore(`sqlite://${file}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain(file);
  });

  it('names a data folder that cannot be created', async () => {
    const file = join(tmp(), 'a-file');
    writeFileSync(file, '');
    const error = await openStore(`sqlite://${file}/bot.sqlite`).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/cannot create the folder/);
  });

  it('rejects an unknown scheme', () => {
    expect(() => parseStoreUrl('postgres://localhost/db')).toThrow(/STORE_URL: expected sqlite:\/\/<path> or redis:\/\/host:port/);
  });

  it('resolves relative and absolute SQLite paths', () => {
    expect(parseStoreUrl('sqlite://./data/bot.sqlite', '/srv/bot')).toEqual({ backend: 'sqlite', path: '/srv/bot/data/bot.sqlite' });
    expect(parseStoreUrl('sqlite:///tmp/x/bot.sqlite', '/srv/bot')).toEqual({ backend: 'sqlite', path: '/tmp/x/bot.sqlite' });
    expect(parseStoreUrl('redis://:secret@cache:6380/1')).toMatchObject({ backend: 'redis', location: 'cache:6380' });
  });
});
