import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-api.ts';
import { textMessage } from '../fixtures/telegram-updates.ts';
import { freePort, startScript, stopProcess, tempDir } from '../hardening/processes.ts';
import { subscribeInStore } from '../helpers/reminders.ts';

let fake: FakeTelegram;
const stops: (() => Promise<void>)[] = [];
beforeEach(async () => {
  fake = await startFakeTelegram();
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await fake.close();
});

describe('roles and the shared HTTP port, as npm start runs them', () => {
  it('webhook mode: Telegram posts updates to the ops port; the secret is checked; health and metrics share the port', async () => {
    const port = await freePort();
    const secret = 'hardening-webhook-secret';
    const bot = startScript(['adapters/main.ts'], {
      STORE_URL: `sqlite://${join(tempDir('webhook'), 'bot.sqlite')}`,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`,
      TELEGRAM_WEBHOOK_SECRET: secret,
      ROLES: 'telegram',
      PORT: String(port),
    });
    stops.push(() => stopProcess(bot.child, 'SIGTERM'));
    const [setWebhook] = await fake.waitFor('setWebhook', 1, 20_000);
    expect(setWebhook?.params).toMatchObject({ url: `http://127.0.0.1:${port}/telegram`, secret_token: secret });
    const post = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ ...textMessage('這次柬埔寨警方抓了多少人?'), update_id: 9001 }),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-telegram-bot-api-secret-token': secret })).status).toBe(200);
    const [answer] = await fake.waitFor('sendMessage', 1, 10_000);
    expect(String(answer?.params.text)).toContain('數百名');
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toMatch(/bot_messages_total\{platform="telegram",kind="answer"/);
    // No scheduler in this process (ROLES=telegram).
    expect(bot.output()).not.toContain('reminder scheduler started');
  });

  it('a scheduler-only process (ROLES=scheduler) posts due reminders through the Bot API without running the bot', async () => {
    const storeUrl = `sqlite://${join(tempDir('scheduler'), 'bot.sqlite')}`;
    // "Now" is just after today's 20:00 Shanghai slot, so the subscription is due at once.
    const slot = new Date();
    slot.setUTCHours(12, 0, 0, 0);
    if (slot.getTime() > Date.now()) slot.setUTCDate(slot.getUTCDate() - 1);
    await subscribeInStore(storeUrl, ['-100777'], slot.getTime() - 60_000);
    const scheduler = startScript(['adapters/main.ts'], {
      STORE_URL: storeUrl,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      ROLES: 'scheduler',
      REMINDER_GRACE_MINUTES: String(24 * 60),
    });
    stops.push(() => stopProcess(scheduler.child, 'SIGTERM'));
    const [post] = await fake.waitFor('sendMessage', 1, 20_000);
    expect(post?.params.chat_id).toBe('-100777');
    expect(String(post?.params.text)).toContain('Anti-fraud reminder');
    // It never polled: the bot role is not here.
    expect(fake.calls.filter((c) => c.method === 'getUpdates')).toHaveLength(0);
  });
});
