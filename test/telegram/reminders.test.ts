import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramPoster } from '../../adapters/telegram/poster.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-api.ts';
import { parseTelegramHtml } from '../fakes/telegram-html.ts';
import { ALICE, BOB, command, GROUP, migration, OLD_GROUP, PRIVATE_CHAT } from '../fixtures/telegram-updates.ts';
import { createTelegramHarness, sentTexts } from '../helpers/telegram.ts';

let fake: FakeTelegram;
beforeEach(async () => {
  fake = await startFakeTelegram();
});
afterEach(async () => {
  await fake.close();
});

const GROUP_ID = String(GROUP.id);

describe('/remind on Telegram', () => {
  it('a group member who is not an admin is refused, asked of Telegram at run time; nothing is subscribed', async () => {
    const { deliver, reminders } = await createTelegramHarness(fake);
    await deliver(command('remind', 'on 21:30', { chat: GROUP, from: BOB }));
    const [refusal] = sentTexts(fake);
    expect(refusal).toContain('Only group admins');
    expect(fake.sent('getChatMember').map((c) => c.params)).toEqual([{ chat_id: GROUP.id, user_id: BOB.id }]);
    expect(await reminders.status('telegram', GROUP_ID)).toBeUndefined();
  });

  it('a group admin turns reminders on with a time and timezone, sees the status, and turns them off', async () => {
    fake.admins.add(BOB.id);
    const { deliver, reminders } = await createTelegramHarness(fake);
    await deliver(command('remind', 'on weekly mon 09:00 Asia/Taipei', { chat: GROUP, from: BOB }));
    const status = await reminders.status('telegram', GROUP_ID);
    expect(status?.subscription.schedule).toEqual({ kind: 'weekly', day: 1, time: '09:00', timezone: 'Asia/Taipei' });
    await deliver(command('remind', 'status', { chat: GROUP, from: ALICE }));
    await deliver(command('remind', 'off', { chat: GROUP, from: BOB }));
    const [on, shown, off] = sentTexts(fake);
    expect(on).toContain('Asia/Taipei');
    expect(on).toMatch(/Monday/);
    // Anyone may ask for the status, answered in their language (Alice: zh-hans) although
    // "status" is an English word; it names the schedule and the next post in its timezone.
    expect(shown).toMatch(/^本对话的防诈提醒：每星期一 09:00（Asia\/Taipei）。下一条：.+09:00/);
    expect(off).toContain('off');
    expect(await reminders.status('telegram', GROUP_ID)).toBeUndefined();
  });

  it('in a private chat the user subscribes for themself; the default is daily 20:00 Asia/Shanghai', async () => {
    const { deliver, reminders } = await createTelegramHarness(fake);
    await deliver(command('remind', 'on', { chat: PRIVATE_CHAT(BOB), from: BOB }));
    expect((await reminders.status('telegram', String(BOB.id)))?.subscription.schedule).toEqual({
      kind: 'daily',
      time: '20:00',
      timezone: 'Asia/Shanghai',
    });
    expect(fake.sent('getChatMember')).toHaveLength(0);
  });

  it.each([
    ['on 25:99', 'cannot read the time'],
    ['on 20:00 Mars/Olympus', 'not a time zone I know'],
    ['on weekly someday 09:00', 'cannot read the day'],
    ['on 61 * * * *', 'not a valid cron expression'],
  ])('/remind %s is answered with what is wrong, escaped', async (args, problem) => {
    const { deliver } = await createTelegramHarness(fake);
    await deliver(command('remind', args, { chat: PRIVATE_CHAT(BOB), from: BOB }));
    const [html] = sentTexts(fake);
    expect(html).toContain(problem);
    expect(parseTelegramHtml(html as string).ok).toBe(true);
  });

  it('/remind now posts one cited tip at once (a preview)', async () => {
    fake.admins.add(BOB.id);
    const { deliver } = await createTelegramHarness(fake);
    await deliver(command('remind', 'now', { chat: GROUP, from: BOB }));
    const [tip] = sentTexts(fake);
    expect(tip).toContain('Anti-fraud reminder');
    expect(tip).toMatch(/<blockquote>[\s\S]+\[(p\d|rec\d)\]/);
  });

  it('a group that becomes a supergroup keeps its subscription under the new id', async () => {
    const { deliver, reminders } = await createTelegramHarness(fake);
    await reminders.subscribe('telegram', String(OLD_GROUP.id), { kind: 'daily', time: '20:00', timezone: 'Asia/Shanghai' }, 'en');
    await deliver(migration(OLD_GROUP, GROUP.id));
    expect(await reminders.status('telegram', String(OLD_GROUP.id))).toBeUndefined();
    expect((await reminders.status('telegram', GROUP_ID))?.subscription.chatId).toBe(GROUP_ID);
  });
});

describe('reminder posts through the Telegram Bot API', () => {
  const DAILY = { kind: 'daily', time: '20:00', timezone: 'Asia/Shanghai' } as const; // 12:00 UTC

  it('the tick posts each due chat once, as valid HTML with the quote, in the chat’s language', async () => {
    const { reminders } = await createTelegramHarness(fake);
    await reminders.subscribe('telegram', '-100200300', DAILY, 'zh-Hant');
    const { next } = await reminders.subscribe('telegram', String(BOB.id), DAILY, 'en');
    const at = new Date(next.getTime() + 1000);
    const report = await reminders.tick(at);
    expect(report.sent).toBe(2);
    expect((await reminders.tick(at)).sent).toBe(0);
    const posts = fake.sent('sendMessage');
    expect(posts.map((p) => Number(p.params.chat_id)).sort()).toEqual([-100200300, BOB.id].sort());
    const zh = String(posts.find((p) => Number(p.params.chat_id) === -100200300)?.params.text);
    expect(zh).toContain('防詐提醒');
    expect(parseTelegramHtml(zh).ok).toBe(true);
  });

  it('a chat that blocked or removed the bot (403) loses its subscription; a 429 is waited out; a migrated group is followed', async () => {
    const { reminders } = await createTelegramHarness(fake);
    fake.failChat(-9, { error_code: 403, description: 'Forbidden: bot was kicked from the group chat' });
    fake.failChat(-5, {
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: -1005 },
    });
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    let next = new Date();
    for (const chat of ['-9', '-5', '-7']) ({ next } = await reminders.subscribe('telegram', chat, DAILY, 'en'));
    const report = await reminders.tick(new Date(next.getTime() + 1000));
    expect(report).toMatchObject({ sent: 2, removed: 1, failed: 0 });
    expect(await reminders.status('telegram', '-9')).toBeUndefined();
    expect(await reminders.status('telegram', '-5')).toBeUndefined();
    expect((await reminders.status('telegram', '-1005'))?.subscription.chatId).toBe('-1005');
    expect(
      fake
        .sent('sendMessage')
        .map((p) => Number(p.params.chat_id))
        .sort(),
    ).toEqual([-1005, -7]);
  });

  it('the poster says gone for a deleted chat and throws other failures for the scheduler to retry', async () => {
    const { bot, core } = await createTelegramHarness(fake);
    const { createTelegramSender } = await import('../../adapters/telegram/send.ts');
    const { openStore } = await import('../../src/store/store.ts');
    const store = await openStore('sqlite://:memory:');
    const sender = createTelegramSender(
      bot.api,
      { 'zh-Hant': '繁', 'zh-Hans': '简', en: 'EN' },
      store.namespace('blocked'),
      (await import('pino')).pino({ level: 'silent' }),
    );
    const poster = createTelegramPoster(sender);
    const reply = await core.handle({
      platform: 'telegram',
      chatId: '1',
      userId: '1',
      chatType: 'private',
      text: '/advice',
      command: 'advice',
    });
    fake.failChat(-404, { error_code: 400, description: 'Bad Request: chat not found' });
    expect(await poster.post('-404', reply)).toBe('gone');
    fake.failChat(-500, { error_code: 400, description: 'Bad Request: something unexpected' });
    await expect(poster.post('-500', reply)).rejects.toThrow(/something unexpected/);
    await store.close();
  });
});
