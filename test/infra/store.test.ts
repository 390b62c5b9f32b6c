import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, inject, it } from 'vitest';
import { StoreError } from '../../src/errors.ts';
import { openStore, parseStoreUrl } from '../../src/store/store.ts';
import { writeBehind } from '../../src/store/write-behind.ts';

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

    it('setMany stores a batch, each record with its own TTL', async () => {
      const store = await openStore(backend.url());
      const kv = store.namespace<{ n: number }>(`many${Math.random().toString(36).slice(2)}`);
      await kv.setMany([
        { key: 'a', value: { n: 1 }, ttlMs: 150 },
        { key: 'b', value: { n: 2 }, ttlMs: 60_000 },
        { key: 'c', value: { n: 3 } },
      ]);
      expect([await kv.get('a'), await kv.get('b'), await kv.get('c')]).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      await new Promise((r) => setTimeout(r, 400));
      expect(await kv.get('a')).toBeUndefined();
      expect(await kv.get('b')).toEqual({ n: 2 });
      await store.close();
    });

    it('write-behind: reads its own writes at once, stores them in one batch, last write wins', async () => {
      const url = backend.url();
      const ns = `wb${Math.random().toString(36).slice(2)}`;
      const store = await openStore(url);
      const errors: unknown[] = [];
      const chats = writeBehind(store.namespace<{ turn: number }>(ns), {
        delayMs: 60_000,
        maxPending: 1000,
        onError: (e) => errors.push(e),
      });
      const observer = await openStore(url);
      const stored = observer.namespace<{ turn: number }>(ns);
      for (let turn = 1; turn <= 3; turn++) void chats.set('telegram:1', { turn });
      void chats.set('telegram:2', { turn: 9 });
      expect(await chats.get('telegram:1')).toEqual({ turn: 3 });
      // Not stored yet: the batch waits for its delay (a minute here) or a flush.
      expect(await stored.get('telegram:1')).toBeUndefined();
      await chats.flush();
      expect(await stored.get('telegram:1')).toEqual({ turn: 3 });
      expect(await stored.get('telegram:2')).toEqual({ turn: 9 });
      // A delete is not undone by a batch that was already on its way.
      void chats.set('telegram:1', { turn: 4 });
      const flushing = chats.flush();
      await chats.delete('telegram:1');
      await flushing;
      expect(await stored.get('telegram:1')).toBeUndefined();
      expect(errors).toEqual([]);
      await Promise.all([store.close(), observer.close()]);
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

describe('store on SQLite: what only a single-process file allows', () => {
  it('a cached namespace serves reads from memory and still writes through to the file', async () => {
    const url = `sqlite://${join(tmp(), 'cache.sqlite')}`;
    const store = await openStore(url);
    const chats = store.namespace<{ lang: string }>('chats', { cacheEntries: 10 });
    await chats.set('telegram:1', { lang: 'en' }, 60_000);
    const reopened = await openStore(url);
    expect(await reopened.namespace<{ lang: string }>('chats').get('telegram:1')).toEqual({ lang: 'en' });
    expect(await chats.get('telegram:1')).toEqual({ lang: 'en' });
    // One namespace cannot be opened both cached and uncached: the uncached view would go stale.
    expect(() => store.namespace('chats')).toThrow(/already open with a memory cache/);
    await Promise.all([store.close(), reopened.close()]);
  });

  it('a failed batch of a write-behind namespace is reported, and the caller that awaits it sees the failure', async () => {
    const path = join(tmp(), 'closing.sqlite');
    const store = await openStore(`sqlite://${path}`);
    const reported: string[][] = [];
    const chats = writeBehind(store.namespace<number>('chats'), {
      delayMs: 10,
      maxPending: 100,
      onError: (_e, keys) => reported.push([...keys]),
    });
    const write = chats.set('telegram:1', 1);
    await store.close();
    await expect(write).rejects.toThrow(StoreError);
    expect(reported).toEqual([['telegram:1']]);
  });

  it('batched claims: one winner, decided at once, on the file within the batch delay and at close', async () => {
    const url = `sqlite://${join(tmp(), 'batched.sqlite')}`;
    const store = await openStore(url);
    const seen = store.claims('telegram-updates', { durability: 'batched' });
    const results = await Promise.all(Array.from({ length: 20 }, () => seen.claim('42', 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    // Not on the file yet: the window the option accepts (another connection could still take it).
    const strictElsewhere = await openStore(url);
    expect(await strictElsewhere.claims('telegram-updates').claim('42', 60_000)).toBe(true);
    await strictElsewhere.close();
    expect(await seen.claim('43', 60_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
    const afterDelay = await openStore(url);
    expect(await afterDelay.claims('telegram-updates').claim('43', 60_000)).toBe(false);
    await afterDelay.close();
    expect(await seen.claim('44', 60_000)).toBe(true);
    await store.close();
    const restarted = await openStore(url);
    expect(await restarted.claims('telegram-updates', { durability: 'batched' }).claim('44', 60_000)).toBe(false);
    expect(await restarted.claims('telegram-updates', { durability: 'batched' }).claim('45', 60_000)).toBe(true);
    await restarted.close();
  });

  it('expired claims are pruned, so the claims table does not grow without bound', async () => {
    const path = join(tmp(), 'claims.sqlite');
    const store = await openStore(`sqlite://${path}`);
    const claims = store.claims('telegram-updates');
    for (let id = 0; id < 9_999; id++) await claims.claim(String(id), 1);
    await new Promise((r) => setTimeout(r, 5));
    // The 10,000th claim sweeps the expired ones away.
    for (let id = 9_999; id < 10_010; id++) await claims.claim(String(id), 60_000);
    await store.close();
    const db = new Database(path, { readonly: true });
    const { rows } = db.prepare('SELECT COUNT(*) AS rows FROM claims').get() as { rows: number };
    db.close();
    expect(rows).toBe(11);
  });
});

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
