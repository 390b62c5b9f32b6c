import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireSchedulerLease } from '../../src/reminders/loop.ts';
import { openStore } from '../../src/store/store.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-api.ts';
import { subscribeInStore } from '../helpers/reminders.ts';

const TSX = join('node_modules', '.bin', 'tsx');

/** `npm run cli -- …` as an operator runs it (async: the fake Telegram answers in this process). */
function cli(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, ['adapters/cli.ts', ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let fake: FakeTelegram;
let env: Record<string, string>;
let storeUrl: string;
beforeEach(async () => {
  fake = await startFakeTelegram();
  storeUrl = `sqlite://${join(mkdtempSync(join(tmpdir(), 'reminders-cli-')), 'bot.sqlite')}`;
  env = { STORE_URL: storeUrl, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot };
});
afterEach(async () => {
  await fake.close();
});

const subscribe = (chats: string[]) => subscribeInStore(storeUrl, chats, Date.parse('2026-11-28T10:00:00Z'));

describe('npm run cli -- reminders', () => {
  it('list shows every subscription with its next slot', async () => {
    await subscribe(['-1001', '-1002']);
    const { status, stdout } = await cli(['reminders', 'list'], env);
    expect(status).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toEqual([
      {
        platform: 'telegram',
        chat: '-1001',
        schedule: '0 20 * * *',
        timezone: 'Asia/Shanghai',
        lang: 'en',
        next: '2026-11-28T12:00:00.000Z',
      },
      {
        platform: 'telegram',
        chat: '-1002',
        schedule: '0 20 * * *',
        timezone: 'Asia/Shanghai',
        lang: 'en',
        next: '2026-11-28T12:00:00.000Z',
      },
    ]);
  });

  it('tick --at --dry-run plans without posting; tick --at posts each due chat once through the Bot API; a repeat posts nothing', async () => {
    await subscribe(['-1001', '-1002']);
    const dry = await cli(['reminders', 'tick', '--at', '2026-11-28T12:00:30Z', '--dry-run'], env);
    expect(dry.status).toBe(0);
    expect(
      JSON.parse(dry.stdout)
        .planned.map((p: { chat: string }) => p.chat)
        .sort(),
    ).toEqual(['telegram:-1001', 'telegram:-1002']);
    expect(fake.sent('sendMessage')).toHaveLength(0);

    const real = await cli(['reminders', 'tick', '--at', '2026-11-28T12:00:30Z'], env);
    expect(real.status).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ sent: 2, failed: 0 });
    expect(
      fake
        .sent('sendMessage')
        .map((c) => Number(c.params.chat_id))
        .sort((a, b) => a - b),
    ).toEqual([-1002, -1001]);
    expect(String(fake.sent('sendMessage')[0]?.params.text)).toContain('Anti-fraud reminder');

    const again = await cli(['reminders', 'tick', '--at', '2026-11-28T12:00:45Z'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ sent: 0 });
    expect(fake.sent('sendMessage')).toHaveLength(2);
  });

  it('refuses to tick while another scheduler holds the SQLite file, in one line', async () => {
    await subscribe(['-1001']);
    const store = await openStore(storeUrl);
    const lease = await acquireSchedulerLease(store);
    const { status, stderr } = await cli(['reminders', 'tick', '--at', '2026-11-28T12:00:30Z'], env);
    await lease.release();
    await store.close();
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^SCHEDULER_RUNNING_ELSEWHERE: another process already runs the reminder scheduler on .+bot\.sqlite/),
    ]);
    expect(fake.sent('sendMessage')).toHaveLength(0);
  });

  it('a malformed --at is a usage error', async () => {
    const { status, stderr } = await cli(['reminders', 'tick', '--at', 'tomorrow'], env);
    expect(status).toBe(2);
    expect(stderr).toContain('ISO-8601');
  });
});
