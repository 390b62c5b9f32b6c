import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForStartupSlot } from '../../adapters/startup-backoff.ts';
import { createApp } from '../../src/bootstrap.ts';
import { parseConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';
import { createMetrics } from '../../src/ops/metrics.ts';
import { startOpsServer } from '../../src/ops/server.ts';
import { openStore } from '../../src/store/store.ts';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A Redis of this test's own, so it can be stopped and started again on the same port. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 50; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('redis-server did not start');
}

async function appWithOps(env: Record<string, string>) {
  // Errors are logged (and counted) but go nowhere.
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const metrics = createMetrics();
  const app = await createApp(parseConfig({ LOG_LEVEL: 'error', LOG_FORMAT: 'json', ...env }), { logDestination: discard, metrics });
  const ops = await startOpsServer({
    port: 0,
    logger: app.logger,
    metrics,
    checks: { store: () => app.store.ping().then(() => true) },
  });
  cleanups.push(
    () => app.close(),
    () => ops.close(),
  );
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${ops.port}${path}`);
    return { status: res.status, text: await res.text() };
  };
  return { app, ops, get };
}

describe('ops HTTP server', () => {
  it.skipIf(!hasRedis)(
    'readiness follows Redis: ready, 503 naming the store while Redis is down, ready again when it returns; health stays up',
    async () => {
      const port = await freePort();
      let redis = await startRedis(port);
      cleanups.push(() => void redis.kill());
      const { get } = await appWithOps({ STORE_URL: `redis://127.0.0.1:${port}` });
      expect((await get('/readyz')).status).toBe(200);

      redis.kill('SIGKILL');
      await new Promise((r) => redis.once('exit', r));
      const down = await get('/readyz');
      expect(down.status).toBe(503);
      expect(JSON.parse(down.text)).toEqual({ status: 'not ready', checks: { store: false } });
      expect((await get('/healthz')).status).toBe(200);

      redis = await startRedis(port);
      await expect.poll(async () => (await get('/readyz')).status, { timeout: 10_000, interval: 250 }).toBe(200);
    },
  );

  it('metrics move when messages are handled, by platform and reply kind, with the answer latency', async () => {
    const { app, get } = await appWithOps({ STORE_URL: 'sqlite://:memory:' });
    const before = (await get('/metrics')).text;
    expect(before).toContain('# TYPE bot_messages_total counter');
    expect(before).not.toMatch(/bot_messages_total\{platform="telegram"/);
    for (const text of ['抓了多少人?', 'What is the weather in Paris?'])
      await app.core.handle({ platform: 'telegram', chatId: '1', userId: '1', chatType: 'private', text });
    const after = (await get('/metrics')).text;
    expect(after).toMatch(/bot_messages_total\{platform="telegram",kind="answer",source="offline"\} 1/);
    expect(after).toMatch(/bot_messages_total\{platform="telegram",kind="out_of_scope",source="offline"\} 1/);
    expect(after).toMatch(/bot_answer_seconds_count\{platform="telegram",source="offline"\} 2/);
    expect(after).toMatch(/bot_reminders_total\{outcome="sent"\} 0/);
    app.logger.error('something broke');
    expect((await get('/metrics')).text).toMatch(/bot_errors_total 1/);
  });

  it('info lines (a scheduler on standby) show on /readyz without making it fail, and vanish when there is nothing to say', async () => {
    const { ops, get } = await appWithOps({ STORE_URL: 'sqlite://:memory:' });
    let note: string | undefined = 'standby: lease held by bot-1:4242';
    ops.info('scheduler', () => note);
    const standby = await get('/readyz');
    expect(standby.status).toBe(200);
    expect(JSON.parse(standby.text)).toEqual({
      status: 'ready',
      checks: { store: true },
      info: { scheduler: 'standby: lease held by bot-1:4242' },
    });
    note = undefined;
    expect(JSON.parse((await get('/readyz')).text)).toEqual({ status: 'ready', checks: { store: true } });
  });

  it('unknown paths are 404, other methods 405, and routes added by adapters (the webhook) come first', async () => {
    const { ops, get } = await appWithOps({ STORE_URL: 'sqlite://:memory:' });
    ops.route(async (req, res) => {
      if (req.url !== '/telegram') return false;
      res.writeHead(401).end();
      return true;
    });
    expect((await get('/nope')).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${ops.port}/healthz`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`http://127.0.0.1:${ops.port}/telegram`, { method: 'POST' })).status).toBe(401);
  });
});

describe('start-up', () => {
  it('an invalid ROLES value, or a role whose platform is not configured, stops start-up naming ROLES', () => {
    expect(() => parseConfig({ ROLES: 'telegram,mars' })).toThrow(ConfigError);
    expect(() => parseConfig({ ROLES: 'telegram,mars' })).toThrow(/^ROLES: a comma-separated list of telegram, discord, scheduler/);
    expect(() => parseConfig({ ROLES: 'discord' })).toThrow(/^ROLES: discord needs DISCORD_TOKEN/);
    expect(parseConfig({ ROLES: 'scheduler', DISCORD_TOKEN: 'x'.repeat(30) }).roles).toEqual(['scheduler']);
    expect(parseConfig({ DISCORD_TOKEN: 'x'.repeat(30) }).roles).toEqual(['discord', 'scheduler']);
    expect(parseConfig({}).roles).toEqual([]);
  });

  it('a crash loop backs off: the first starts in an hour go at once, then each waits twice as long', async () => {
    const store = await openStore(`sqlite://${join(mkdtempSync(join(tmpdir(), 'backoff-')), 'bot.sqlite')}`);
    let now = Date.parse('2026-11-28T10:00:00Z');
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      waits.push(
        await waitForStartupSlot(
          store,
          pino({ level: 'silent' }),
          () => now,
          async () => undefined,
        ),
      );
      now += 60_000;
    }
    expect(waits).toEqual([0, 0, 0, 5_000, 10_000, 20_000]);
    now += 2 * 3_600_000;
    expect(
      await waitForStartupSlot(
        store,
        pino({ level: 'silent' }),
        () => now,
        async () => undefined,
      ),
    ).toBe(0);
    await store.close();
  });
});
