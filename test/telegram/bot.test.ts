import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-api.ts';
import { parseTelegramHtml } from '../fakes/telegram-html.ts';
import {
  ALICE,
  BOB,
  botAddedToGroup,
  callback,
  command,
  GROUP,
  mention,
  migration,
  OLD_GROUP,
  PRIVATE_CHAT,
  textMessage,
} from '../fixtures/telegram-updates.ts';
import { createTelegramHarness, sentTexts } from '../helpers/telegram.ts';

type Button = { text: string; callback_data: string };
const keyboardOf = (call: { params: Record<string, unknown> } | undefined): Button[][] =>
  (call?.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? [];

let fake: FakeTelegram;
beforeEach(async () => {
  fake = await startFakeTelegram();
});
afterEach(async () => {
  await fake.close();
});

describe('private chat', () => {
  it.each([
    ['這次柬埔寨警方抓了多少人?', '數百名'],
    ['柬埔寨警方抓了多少人？这些人后来怎样', '数百名'],
    ['How many people did the police arrest?', 'several hundred'],
  ])('answers %s with the cited quote as a blockquote', async (question, figure) => {
    const { deliver } = await createTelegramHarness(fake);
    await deliver(textMessage(question));
    const [html] = sentTexts(fake);
    expect(html).toContain(figure);
    expect(html).toMatch(/<blockquote>[^<]+\n— [^<]+\[p3\]<\/blockquote>/);
    expect(fake.sent('sendMessage')[0]?.params.parse_mode).toBe('HTML');
  });

  it("/start greets in the user's language with buttons", async () => {
    const { deliver } = await createTelegramHarness(fake);
    await deliver(command('start', '', { from: BOB }));
    const call = fake.sent('sendMessage')[0];
    expect(String(call?.params.text)).toMatch(/^Hi! I answer questions/);
    expect(keyboardOf(call).length).toBeGreaterThan(0);
  });

  it('follow-up buttons work, and the callback is always answered', async () => {
    const { deliver } = await createTelegramHarness(fake);
    await deliver(textMessage('第一條建議是什麼?'));
    const keyboard = keyboardOf(fake.sent('sendMessage')[0]).flat();
    const toSimplified = keyboard.find((b) => b.callback_data.startsWith('t:zh-Hans:'));
    expect(toSimplified?.callback_data).toBe('t:zh-Hans:rec.1');
    await deliver(callback(toSimplified?.callback_data ?? ''));
    expect(fake.sent('answerCallbackQuery')).toHaveLength(1);
    expect(sentTexts(fake)[1]).toContain('第一条建议');
  });

  it('a malformed or forged callback gets a short notice and nothing else', async () => {
    const { deliver } = await createTelegramHarness(fake);
    await deliver(callback('e:../../etc/passwd'));
    await deliver(callback('x'.repeat(64)));
    const answers = fake.sent('answerCallbackQuery');
    expect(answers).toHaveLength(2);
    expect(answers[0]?.params.text).toBe('这个按钮已失效，请重新提问。');
    expect(fake.sent('sendMessage')).toHaveLength(0);
  });

  it('a well-formed button for content that no longer exists says it has expired, and posts nothing', async () => {
    const { deliver } = await createTelegramHarness(fake);
    await deliver(callback('e:no.such-entry'));
    // The presser's language (Alice: zh-hans).
    expect(fake.sent('answerCallbackQuery').map((c) => c.params.text)).toEqual(['这个按钮已失效，请重新提问。']);
    expect(fake.sent('sendMessage')).toHaveLength(0);
  });
});

describe('groups are quiet unless addressed', () => {
  it('ignores chatter, answers mentions, replies to the bot and its commands', async () => {
    const { deliver } = await createTelegramHarness(fake);
    await deliver(textMessage('抓了多少人?', { chat: GROUP }));
    expect(fake.sent('sendMessage')).toHaveLength(0);
    await deliver(mention('抓了多少人?'));
    await deliver(textMessage('那第二條呢?', { chat: GROUP, replyToBot: true }));
    await deliver(command('ask', '中國做了什麼?', { chat: GROUP, target: 'FraudNewsBot' }));
    await deliver(command('ask', '中國做了什麼?', { chat: GROUP, target: 'SomeOtherBot' }));
    expect(fake.sent('sendMessage')).toHaveLength(3);
    // Answers in groups reply to the question.
    expect(fake.sent('sendMessage')[0]?.params.reply_parameters).toMatchObject({ allow_sending_without_reply: true });
  });

  it('introduces itself once when added to a group', async () => {
    const { deliver } = await createTelegramHarness(fake);
    await deliver(botAddedToGroup());
    expect(sentTexts(fake)).toHaveLength(1);
    expect(sentTexts(fake)[0]).toContain('only respond when mentioned');
  });
});

describe('hostile input produces valid HTML', () => {
  it.each([
    ['a script tag', '<script>alert(1)</script> 誰發動了這次行動?'],
    ['an unclosed <b>', '<b>抓了多少人? unclosed'],
    ['ampersands and entities', 'Tom & Jerry ask: how many were arrested? &amp; &lt;'],
    ['9,000 characters of tags', `抓了多少人?${'<i>'.repeat(3000)}`],
    ['@everyone and quotes', '@everyone 抓了多少人 "quoted" \'single\''],
  ])('%s', async (_label, text) => {
    const { deliver } = await createTelegramHarness(fake);
    await deliver(textMessage(text));
    const [html] = sentTexts(fake);
    expect(html).toBeDefined();
    expect(parseTelegramHtml(html ?? '').ok).toBe(true);
    expect(html).not.toContain('<script>');
    expect(fake.calls.filter((c) => !c.ok)).toEqual([]);
  });
});

describe('Telegram failures', () => {
  it('a 429 is retried after retry_after, then the message goes out', async () => {
    const { deliver } = await createTelegramHarness(fake);
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    const started = Date.now();
    await deliver(textMessage('抓了多少人?'));
    expect(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => c.ok)).toEqual([false, true]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a 403 (blocked by the user) is recorded quietly, and the bot carries on', async () => {
    const { deliver, store, logs } = await createTelegramHarness(fake);
    fake.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await deliver(textMessage('抓了多少人?'));
    expect(await store.namespace('telegram-blocked').get(String(ALICE.id))).toBeTypeOf('number');
    expect(logs()).toContain('cannot write to this chat');
    expect(logs()).not.toContain('"level":50');
    await deliver(textMessage('抓了多少人?', { from: BOB }));
    expect(fake.sent('sendMessage')).toHaveLength(1);
  });

  it('"can\'t parse entities" is retried once as plain text and logged as a bug', async () => {
    const { deliver, logs } = await createTelegramHarness(fake);
    fake.failNext('sendMessage', {
      error_code: 400,
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "foo" at byte offset 0',
    });
    await deliver(textMessage('抓了多少人?'));
    const [, retry] = fake.calls.filter((c) => c.method === 'sendMessage');
    expect(retry?.ok).toBe(true);
    expect(retry?.params.parse_mode).toBeUndefined();
    expect(String(retry?.params.text)).not.toMatch(/<\/?blockquote>/);
    expect(logs()).toContain('rendering bug');
  });

  it('an error inside one update is logged with an apology, and the next update is answered', async () => {
    const { deliver, logs } = await createTelegramHarness(fake);
    fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    await deliver(textMessage('抓了多少人?'));
    await deliver(textMessage('抓了多少人?', { from: BOB }));
    expect(logs()).toContain('telegram: answering failed');
    expect(sentTexts(fake).some((t) => t.includes('Sorry') || t.includes('抱歉'))).toBe(true);
    expect(sentTexts(fake).some((t) => t.includes('several hundred') || t.includes('數百名'))).toBe(true);
  });

  it('a repeated update_id is answered once', async () => {
    const { deliver } = await createTelegramHarness(fake);
    const update = { ...textMessage('抓了多少人?'), update_id: 4242 };
    await deliver(update);
    await deliver(update);
    expect(fake.sent('sendMessage')).toHaveLength(1);
  });

  it('a group that becomes a supergroup keeps its language setting', async () => {
    const { deliver } = await createTelegramHarness(fake);
    await deliver(command('lang', 'en', { chat: OLD_GROUP }));
    await deliver(migration(OLD_GROUP, GROUP.id));
    await deliver(mention('抓了多少人?', { chat: GROUP }));
    expect(sentTexts(fake).at(-1)).toContain('several hundred');
  });
});

describe('rendering limits', () => {
  it('/source in parts, each under 4,096 characters, in order', async () => {
    const { deliver } = await createTelegramHarness(fake);
    await deliver(command('source', '', { from: BOB }));
    const texts = sentTexts(fake);
    expect(texts.length).toBeGreaterThanOrEqual(1);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(4096);
    expect(texts.join('\n')).toContain('[closing]');
  });

  it('sending is paced per chat as configured', async () => {
    const { deliver } = await createTelegramHarness(fake, { env: { TELEGRAM_RATE_CHAT_PER_SECOND: '2' } });
    const started = Date.now();
    await Promise.all([
      deliver(textMessage('抓了多少人?')),
      deliver(textMessage('中國做了什麼?')),
      deliver(textMessage('第三條建議是什麼?')),
    ]);
    expect(fake.sent('sendMessage')).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});

describe('commands', () => {
  it('are registered for Chinese and English, for private chats and groups', async () => {
    const { register } = await createTelegramHarness(fake);
    await register();
    const calls = fake.sent('setMyCommands');
    expect(calls.map((c) => [(c.params.scope as { type: string }).type, c.params.language_code ?? 'default'])).toEqual([
      ['all_private_chats', 'default'],
      ['all_private_chats', 'zh'],
      ['all_group_chats', 'default'],
      ['all_group_chats', 'zh'],
    ]);
    const names = ((calls[0]?.params.commands ?? []) as { command: string }[]).map((c) => c.command);
    expect(names).toEqual(['start', 'ask', 'summary', 'advice', 'source', 'lang', 'remind', 'help']);
  });

  it('/advice 3, /advice 99 and /lang answer sensibly', async () => {
    const { deliver } = await createTelegramHarness(fake);
    await deliver(command('advice', '3', { chat: PRIVATE_CHAT(BOB), from: BOB }));
    await deliver(command('advice', '99', { chat: PRIVATE_CHAT(BOB), from: BOB }));
    await deliver(command('lang', 'xx', { chat: PRIVATE_CHAT(BOB), from: BOB }));
    const [third, outOfRange, usage] = sentTexts(fake);
    expect(third).toContain('[rec3]');
    expect(outOfRange).toContain('only 4 recommendations');
    expect(usage).toContain('/lang');
  });
});
