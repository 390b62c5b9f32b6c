import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { AppError } from '../../src/errors.ts';
import { ReplyComposer } from '../../src/qa/compose.ts';
import { acquireSchedulerLease, parseLeaseHolder, startReminderLoop } from '../../src/reminders/loop.ts';
import { createReminders, type Poster } from '../../src/reminders/scheduler.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { testConvert } from '../helpers/core.ts';

const redisUrl = inject('redisUrl');
const logger = pino({ level: 'silent' });
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function remindersOn(store: Store, posted: string[]) {
  const content = await loadContent('content', 'cambodia-scam-sweep');
  const poster: Poster = {
    post: async (chatId) => {
      posted.push(chatId);
      return 'sent';
    },
  };
  // "Now" is a minute after the slot, so the subscription made below is due at once.
  const clock = { now: () => Date.parse('2026-11-28T12:01:00Z') };
  const reminders = createReminders({
    content,
    composer: new ReplyComposer(content, testConvert()),
    store,
    clock,
    logger,
    posters: { telegram: poster },
  });
  return { reminders, now: () => new Date(clock.now()) };
}

/** A SQLite file of the test's own, opened by this process. */
async function sqliteStore() {
  const url = `sqlite://${join(mkdtempSync(join(tmpdir(), 'loop-')), 'bot.sqlite')}`;
  const store = await openStore(url);
  cleanups.push(() => store.close());
  return { url, store };
}

/** One chat due at 12:00, as seen at 12:01 by this process's clock. */
async function dueChat(store: Store, posted: string[]) {
  const one = await remindersOn(store, posted);
  await one.reminders.subscribe('telegram', '-1', { kind: 'daily', time: '20:00', timezone: 'Asia/Shanghai' }, 'en');
  // Subscribed "at" 12:01 the next slot is tomorrow; put it back to today's 12:00 slot.
  await store.dueQueue('reminders').put('telegram:-1', Date.parse('2026-11-28T12:00:00Z'));
  return one;
}

/** Log records, to check what was said and how often. */
function recordingLogger() {
  const records: { level: number; msg: string; [key: string]: unknown }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void records.push(JSON.parse(line)) });
  const said = (pattern: RegExp) => records.filter((r) => pattern.test(r.msg));
  return { log, said };
}

/** Another real process that takes the scheduler lease on `url` and holds it until its stdin ends. */
async function holderProcess(url: string): Promise<ChildProcess & { pid: number }> {
  const code = `
    const { openStore } = await import(${JSON.stringify(resolve('src/store/store.ts'))});
    const { acquireSchedulerLease } = await import(${JSON.stringify(resolve('src/reminders/loop.ts'))});
    const store = await openStore(${JSON.stringify(url)});
    const lease = await acquireSchedulerLease(store);
    process.stdout.write('held\\n');
    process.stdin.on('data', () => undefined).on('end', async () => { await lease.release(); await store.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  cleanups.push(() => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d) => String(d).includes('held') && resolve());
    child.once('exit', (code) => reject(new Error(`the lease holder exited (${code}) before holding the lease`)));
  });
  return child as ChildProcess & { pid: number };
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

describe('the scheduler lease on a SQLite file', () => {
  it('records who holds it: host, pid and an id, parsed from the right so a host name may contain colons', () => {
    expect(parseLeaseHolder('bot-7f3a:4242:6c1e9a')).toEqual({ host: 'bot-7f3a', pid: 4242, id: '6c1e9a' });
    expect(parseLeaseHolder('fe80::1:17:abc')).toEqual({ host: 'fe80::1', pid: 17, id: 'abc' });
    expect(parseLeaseHolder('something else')).toBeUndefined();
  });

  it('takes over at once the lease of a process on this host that was killed, and ticks', async () => {
    const { url, store } = await sqliteStore();
    const posted: string[] = [];
    const one = await dueChat(store, posted);
    const holder = await holderProcess(url);
    await killed(holder);
    const { log, said } = recordingLogger();
    // A minute-long lease: only the dead-process check can explain taking it now.
    const loop = await startReminderLoop({ reminders: one.reminders, store, logger: log, tickMs: 30, leaseMs: 60_000, now: one.now });
    cleanups.push(() => loop.stop());
    expect(loop.status).toEqual({ state: 'active' });
    await expect.poll(() => posted, { timeout: 2000 }).toEqual(['-1']);
    expect(said(/took over the scheduler lease/)).toEqual([expect.objectContaining({ previous: `${hostname()}:${holder.pid}` })]);
    expect(said(/reminder scheduler started/)).toHaveLength(1);
  });

  it('takes over at once a lease recorded under its own pid by an earlier process (a restarted container keeps its pid)', async () => {
    const { store } = await sqliteStore();
    const posted: string[] = [];
    const one = await dueChat(store, posted);
    await store.lease('reminder-scheduler').acquire(`${hostname()}:${process.pid}:from-before-the-restart`, 60_000);
    const loop = await startReminderLoop({ reminders: one.reminders, store, logger, tickMs: 30, now: one.now });
    cleanups.push(() => loop.stop());
    expect(loop.status).toEqual({ state: 'active' });
    await expect.poll(() => posted, { timeout: 2000 }).toEqual(['-1']);
  });

  it('waits on standby while a running process holds it, says so once, then starts when the holder lets go', async () => {
    const { url, store } = await sqliteStore();
    const posted: string[] = [];
    const one = await dueChat(store, posted);
    const holder = await holderProcess(url);
    const { log, said } = recordingLogger();
    const loop = await startReminderLoop({ reminders: one.reminders, store, logger: log, tickMs: 30, now: one.now });
    cleanups.push(() => loop.stop());
    const held = `${hostname()}:${holder.pid}`;
    expect(loop.status).toEqual({ state: 'standby', holder: held });
    // Several ticks pass on standby: nothing posted, one warning naming the holder.
    await new Promise((r) => setTimeout(r, 300));
    expect(posted).toEqual([]);
    expect(said(/standby/)).toEqual([expect.objectContaining({ level: 40, holder: held })]);
    expect(said(/standby/)[0]?.msg).toContain(`lease held by ${held}`);

    holder.stdin?.end();
    await new Promise((r) => holder.once('exit', r));
    await expect.poll(() => posted, { timeout: 2000 }).toEqual(['-1']);
    expect(loop.status).toEqual({ state: 'active' });
    expect(said(/reminder scheduler started/)).toHaveLength(1);
    expect(said(/standby/)).toHaveLength(1);
  });

  it('respects a holder on another host until its lease expires, whatever its pid is here', async () => {
    const { store } = await sqliteStore();
    const posted: string[] = [];
    const one = await dueChat(store, posted);
    // A pid that is certainly not running here: it must not matter for another host.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => gone.once('exit', r));
    await store.lease('reminder-scheduler').acquire(`other-host:${gone.pid}:abc`, 600);
    const loop = await startReminderLoop({ reminders: one.reminders, store, logger, tickMs: 30, now: one.now });
    cleanups.push(() => loop.stop());
    expect(loop.status).toEqual({ state: 'standby', holder: `other-host:${gone.pid}` });
    await new Promise((r) => setTimeout(r, 300));
    expect(posted).toEqual([]);
    await expect.poll(() => posted, { timeout: 2000 }).toEqual(['-1']);
    expect(loop.status).toEqual({ state: 'active' });
  });

  it('a one-shot tick (the CLI) refuses in one line while a running process holds it, and takes over a killed one', async () => {
    const { url, store } = await sqliteStore();
    const holder = await holderProcess(url);
    const refused = await acquireSchedulerLease(store).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('SCHEDULER_RUNNING_ELSEWHERE');
    expect((refused as Error).message).toContain(`(${hostname()}:${holder.pid}, still running)`);
    expect((refused as Error).message).toMatch(/SQLite store serves one process/);
    await killed(holder);
    const lease = await acquireSchedulerLease(store);
    await lease.release();
  });
});

describe('the reminder loop', () => {
  it('ticks on its own, and gives the lease up when stopped so the next scheduler starts at once', async () => {
    const url = `sqlite://${join(mkdtempSync(join(tmpdir(), 'loop-')), 'bot.sqlite')}`;
    const [first, second] = [await openStore(url), await openStore(url)];
    const posted: string[] = [];
    const one = await dueChat(first, posted);
    const loop = await startReminderLoop({ reminders: one.reminders, store: first, logger, tickMs: 30, now: one.now });
    await expect.poll(() => posted, { timeout: 2000 }).toEqual(['-1']);
    // A second loop in this same (running) process is a live holder's rival: standby.
    const two = await remindersOn(second, posted);
    const waiting = await startReminderLoop({ reminders: two.reminders, store: second, logger, tickMs: 30, now: two.now });
    expect(waiting.status).toMatchObject({ state: 'standby' });
    await loop.stop();
    await expect.poll(() => waiting.status, { timeout: 2000 }).toEqual({ state: 'active' });
    await waiting.stop();
    expect(posted).toEqual(['-1']);
    await Promise.all([first.close(), second.close()]);
  });

  it.skipIf(!redisUrl)('several schedulers may share Redis (slot claims keep posts single)', async () => {
    const [a, b] = [await openStore(redisUrl), await openStore(redisUrl)];
    const posted: string[] = [];
    const loops = await Promise.all(
      [a, b].map(async (store) => {
        const { reminders, now } = await remindersOn(store, posted);
        return startReminderLoop({ reminders, store, logger, tickMs: 30, now });
      }),
    );
    await Promise.all(loops.map((l) => l.stop()));
    await Promise.all([a.close(), b.close()]);
  });
});
