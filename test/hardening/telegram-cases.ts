/**
 * Hardening cases for Telegram: hostile input, Bot API faults and load, each through the real
 * grammY bot and the real core against the fake Bot API. Every case starts and closes its own
 * fake and harness, so cases are independent and can run in any order.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Update } from 'grammy/types';
import { expect } from 'vitest';
import { ALLOWED_UPDATES } from '../../adapters/telegram/transport.ts';
import { parseConfig } from '../../src/config.ts';
import { MAX_MESSAGE_CHARS } from '../../src/core/core.ts';
import { FAKE_BOT, type FakeTelegram, startFakeTelegram } from '../fakes/telegram-api.ts';
import { parseTelegramHtml } from '../fakes/telegram-html.ts';
import { ALICE, BOB, callback, command, GROUP, mention, PRIVATE_CHAT, textMessage } from '../fixtures/telegram-updates.ts';
import { createTelegramHarness, sentTexts } from '../helpers/telegram.ts';
import type { HardeningCase } from './case.ts';

type Harness = Awaited<ReturnType<typeof createTelegramHarness>>;
type HarnessOptions = NonNullable<Parameters<typeof createTelegramHarness>[1]>;
type Incoming = Omit<Update, 'update_id'> & { update_id?: number };
type User = typeof ALICE;
type Chat = ReturnType<typeof PRIVATE_CHAT> | typeof GROUP;

/** The per-sender limit as production has it (USER_MESSAGES_PER_MINUTE's default): every case runs under it. */
const FLOOD_LIMIT = parseConfig({}).userMessagesPerMinute;

/** A fresh fake Bot API and bot for one case; both closed afterwards, whatever happens. */
async function withBot<T>(run: (fake: FakeTelegram, h: Harness) => Promise<T>, options: HarnessOptions = {}): Promise<T> {
  const fake = await startFakeTelegram();
  let harness: Harness | undefined;
  try {
    harness = await createTelegramHarness(fake, { ...options, env: { USER_MESSAGES_PER_MINUTE: String(FLOOD_LIMIT), ...options.env } });
    return await run(fake, harness);
  } finally {
    await harness?.core.flush().catch(() => undefined);
    await fake.close();
    await harness?.http.close().catch(() => undefined);
    await harness?.store.close().catch(() => undefined);
  }
}

const user = (id: number, language_code = 'en'): User => ({ id, is_bot: false, first_name: `U${id}`, username: `u${id}`, language_code });
const group = (id: number): typeof GROUP => ({ id, type: 'supergroup', title: `Group ${id}` });
const seconds = () => Math.floor(Date.now() / 1000);
let rawId = 70_000;
/** A message with any fields (stickers, forwards, odd entities), as Telegram would send it. */
function rawMessage(
  chat: Chat | { id: number; type: string; title?: string },
  from: User | undefined,
  fields: Record<string, unknown>,
): Incoming {
  return { message: { message_id: rawId++, date: seconds(), chat, ...(from ? { from } : {}), ...fields } } as unknown as Incoming;
}

/** Log lines at warn level or above. */
const problems = (logs: string) => logs.split('\n').filter((l) => /"level":(40|50|60)\b/.test(l));
/** Every sendMessage to one chat (answered or refused). */
const sendsTo = (fake: FakeTelegram, chatId: number, okOnly = true) =>
  fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === chatId && (!okOnly || c.ok));
/** The answer to "how many were arrested", in any of the three languages, with its quote from [p3]. */
const ARREST_FIGURE = /數百名|数百名|several hundred/;
const P3_CITATION = /<blockquote>[^<]+\n— [^<]+\[p3\]<\/blockquote>/;
/** Only the bot's own markup: every `<` opens or closes <b>, <i> or <blockquote>. */
const FOREIGN_TAG = /<(?!\/?(?:b|i|blockquote)>)/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Every message sent is HTML Telegram accepts, within its 4,096 visible characters, and no call failed. */
function expectValidOutput(fake: FakeTelegram): string[] {
  const texts = sentTexts(fake);
  for (const html of texts) {
    const parsed = parseTelegramHtml(html);
    expect(parsed.ok, `Telegram would refuse: ${html.slice(0, 80)}`).toBe(true);
    if (parsed.ok) expect(parsed.text.length).toBeLessThanOrEqual(4096);
    expect(html).not.toMatch(FOREIGN_TAG);
  }
  expect(fake.calls.filter((c) => !c.ok).map((c) => c.method)).toEqual([]);
  return texts;
}

async function waitUntil(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The garbage collector, when V8 lets us have it (for a heap measurement that means something). */
function garbageCollector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

const sticker = {
  file_id: 'CAACAgIAAxk',
  file_unique_id: 'AgADx',
  type: 'regular',
  width: 512,
  height: 512,
  is_animated: false,
  is_video: false,
};
const photo = [{ file_id: 'AgACAgIAAxk', file_unique_id: 'AQADy', width: 90, height: 90 }];
const voice = { file_id: 'AwACAgIAAxk', file_unique_id: 'AgADz', duration: 3, mime_type: 'audio/ogg' };

const inputCases: HardeningCase[] = [
  {
    name: 'telegram: empty and whitespace-only text',
    expected: 'one short clarify reply each (private and group mention), no error',
    run: () =>
      withBot(async (fake, h) => {
        await h.deliver(textMessage(''));
        await h.deliver(textMessage(' \n\t\u3000 \r\n'));
        await h.deliver(mention('   \n '));
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(3);
        const clarify = h.core.composer.text('clarify', 'zh-Hans');
        for (const t of texts) {
          expect(t).toContain(clarify);
          expect(t.length).toBeLessThan(400);
        }
        expect(problems(h.logs())).toEqual([]);
        return `3 clarify replies of ${texts[0]?.length} chars`;
      }),
  },
  {
    name: 'telegram: 100 KB message',
    expected: 'answered once with a "read only its last 100,000 characters" notice, fast',
    run: () =>
      withBot(async (fake, h) => {
        const huge = 'How many people were arrested? '.repeat(3300);
        expect(huge.length).toBeGreaterThan(100_000);
        const started = performance.now();
        await h.deliver(textMessage(huge, { from: BOB, chat: PRIVATE_CHAT(BOB) }));
        await h.deliver(mention(huge, { from: BOB }));
        const ms = Math.round(performance.now() - started);
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(2);
        const notice = h.core.composer.text('inputTruncated', 'en', { limit: MAX_MESSAGE_CHARS });
        for (const t of texts) {
          expect(t).toContain(notice);
          expect(t).toMatch(ARREST_FIGURE);
        }
        expect(ms).toBeLessThan(2000);
        return `2 answers with the truncation notice, ${ms} ms for both`;
      }),
  },
  {
    name: 'telegram: emoji only',
    expected: 'a short clarify reply, in private and in a group mention',
    run: () =>
      withBot(async (fake, h) => {
        await h.deliver(textMessage('😀🔥👍🏽🇰🇭👨‍👩‍👧'));
        await h.deliver(mention('🤔❓'));
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(2);
        for (const t of texts) expect(t).toContain(h.core.composer.text('clarify', 'zh-Hans'));
        return '2 clarify replies';
      }),
  },
  {
    name: 'telegram: zero-width and bidi controls around a real question',
    expected: 'still answered: the arrest figure with its [p3] citation',
    run: () =>
      withBot(async (fake, h) => {
        await h.deliver(textMessage('\u200b\u202e抓\u200d了\u2066多少\u2069人\u202c?\u200f\ufeff'));
        await h.deliver(mention('\u2067\u200b柬埔寨警方抓了\u200c多少人\u2069?\u061c', { from: BOB }));
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(2);
        for (const t of texts) {
          expect(t).toMatch(ARREST_FIGURE);
          expect(t).toMatch(P3_CITATION);
          expect(t).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/);
        }
        return 'both answered with the figure and [p3]';
      }),
  },
  {
    name: 'telegram: NUL, ESC and other control characters',
    expected: 'answered with a citation; no control character in the reply',
    run: () =>
      withBot(async (fake, h) => {
        await h.deliver(textMessage('\u0000\u0001抓了\u0007多少人\u001b[31m?\u001b[0m\u007f\u0085\u009b\b'));
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(1);
        expect(texts[0]).toMatch(P3_CITATION);
        expect(texts.join('')).not.toMatch(CONTROL_CHAR);
        return 'answered with [p3], output clean';
      }),
  },
  {
    name: 'telegram: lone (invalid) surrogates',
    expected: 'answered with a citation; the reply is well-formed UTF-16',
    run: () =>
      withBot(async (fake, h) => {
        await h.deliver(textMessage('\ud800抓了多少人\udfff?\ud83d'));
        await h.deliver(textMessage('\udc00\udc00\ud800', { from: BOB, chat: PRIVATE_CHAT(BOB) }));
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(2);
        expect(texts[0]).toMatch(P3_CITATION);
        expect(texts[1]).toContain(h.core.composer.text('clarify', 'en'));
        for (const t of texts) expect(t).not.toMatch(LONE_SURROGATE);
        return 'answer + clarify, no lone surrogate sent';
      }),
  },
  {
    name: 'telegram: HTML tricks (<script>, unclosed <b>, &, javascript: links)',
    expected: 'valid Telegram HTML, only the bot’s own tags, echoed input escaped',
    run: () =>
      withBot(async (fake, h) => {
        const questions = [
          '<script>alert(1)</script> 抓了多少人?',
          '<b>抓了多少人? unclosed',
          'Tom & Jerry &amp; &#x3c;b&#x3e; &bogus; 抓了多少人?',
          '<a href="javascript:alert(1)">抓了多少人?</a>',
        ];
        for (const q of questions) await h.deliver(textMessage(q));
        // /remind quotes what it could not read: the one place the user's own text comes back.
        await h.deliver(command('remind', 'on 20:00 <b>&</b><a href="javascript:alert(1)">x</a>', { from: BOB, chat: PRIVATE_CHAT(BOB) }));
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(5);
        for (const t of texts.slice(0, 4)) expect(t).toMatch(ARREST_FIGURE);
        expect(texts[4]).toContain('&lt;b&gt;&amp;&lt;/b&gt;&lt;a href=&quot;javascript:alert(1)&quot;&gt;');
        for (const call of fake.sent('sendMessage')) expect(call.params.parse_mode).toBe('HTML');
        return '5 replies parse, user markup escaped, no fallback';
      }),
  },
  {
    name: 'telegram: Markdown syntax and odd entities',
    expected: 'Markdown left as text, forged entities harmless, answered',
    run: () =>
      withBot(async (fake, h) => {
        const text = '*抓了* _多少_ [人](javascript:alert(1)) `code` ||x|| ~~y~~ ?';
        await h.deliver(
          rawMessage(PRIVATE_CHAT(), ALICE, {
            text,
            entities: [
              { type: 'bold', offset: 0, length: 4 },
              { type: 'text_link', offset: 0, length: 3, url: 'javascript:alert(1)' },
              { type: 'mention', offset: -5, length: 50 },
              { type: 'text_mention', offset: 0, length: 1 },
              { type: 'custom_emoji', offset: 10_000, length: 2, custom_emoji_id: '1' },
              { type: 'pre', offset: 3, length: 9_999, language: '<script>' },
            ],
          }),
        );
        // A text_mention of the bot (no @username in the text) addresses it in a group.
        await h.deliver(
          rawMessage(GROUP, BOB, {
            text: 'bot: 柬埔寨警方抓了多少人?',
            entities: [{ type: 'text_mention', offset: 0, length: 3, user: FAKE_BOT }],
          }),
        );
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(2);
        for (const t of texts) expect(t).toMatch(ARREST_FIGURE);
        expect(texts.join('')).not.toMatch(/javascript|<script/);
        expect(problems(h.logs())).toEqual([]);
        return '2 answers, no markup or URL leaked';
      }),
  },
  {
    name: 'telegram: a 10,000-character single word',
    expected: 'one reply per message, each ≤ 4,096 chars, none claiming the message was cut (it is under 100,000)',
    run: () =>
      withBot(async (fake, h) => {
        await h.deliver(textMessage('a'.repeat(10_000), { from: BOB, chat: PRIVATE_CHAT(BOB) }));
        await h.deliver(textMessage('詐'.repeat(10_000)));
        await h.deliver(mention(`https://example.com/${'x'.repeat(10_000)}`, { from: BOB }));
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(3);
        for (const t of texts) expect(t).not.toContain(h.core.composer.text('inputTruncated', 'en', { limit: MAX_MESSAGE_CHARS }));
        return `3 replies, longest ${Math.max(...texts.map((t) => t.length))} chars`;
      }),
  },
  {
    name: 'telegram: mixed scripts in one question',
    expected: 'answered with the arrest figure and its citation',
    run: () =>
      withBot(async (fake, h) => {
        await h.deliver(textMessage('柬埔寨警方抓了多少人? how many? Сколько? كم؟ 😀', { from: BOB, chat: PRIVATE_CHAT(BOB) }));
        await h.deliver(textMessage('How many 人 were arrested?', { from: BOB, chat: PRIVATE_CHAT(BOB) }));
        await h.deliver(mention('How many suspects 被抓了?', { from: BOB }));
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(3);
        for (const t of texts) {
          expect(t).toMatch(ARREST_FIGURE);
          expect(t).toMatch(P3_CITATION);
        }
        return '3 answers with the figure and [p3]';
      }),
  },
  {
    name: 'telegram: links in the question',
    expected: 'answered; links never become markup; previews disabled',
    run: () =>
      withBot(async (fake, h) => {
        await h.deliver(textMessage('https://evil.example/login?next=<b>&x=1 抓了多少人? tg://resolve?domain=FraudNewsBot'));
        await h.deliver(mention('看這個 http://t.me/+AbCdEf <a href="https://x">x</a> 中國做了什麼?', { from: BOB }));
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(2);
        expect(texts[0]).toMatch(ARREST_FIGURE);
        expect(texts.join('')).not.toMatch(/evil\.example|t\.me\/\+|href/);
        for (const call of fake.sent('sendMessage')) expect(call.params.link_preview_options).toEqual({ is_disabled: true });
        return '2 answers, no link echoed, previews off';
      }),
  },
  {
    name: 'telegram: every command with missing, extra and malformed arguments',
    expected: 'each gets one sensible reply (usage, range notice, clarify), no error',
    run: () =>
      withBot(async (fake, h) => {
        const ui = (key: Parameters<typeof h.core.composer.text>[0], vars?: Record<string, number>) =>
          h.core.composer.text(key, 'en', vars);
        const outOfRange = ui('adviceOutOfRange', { count: 4 });
        const cases: [name: string, args: string, expected: string][] = [
          ['advice', '0', outOfRange],
          ['advice', '99', outOfRange],
          ['advice', 'abc', outOfRange],
          ['advice', '-1', outOfRange],
          ['advice', '1.5', outOfRange],
          ['advice', '99999999999999999999999999', outOfRange],
          ['advice', '2 3 extra', outOfRange],
          ['ask', '', ui('clarify')],
          ['ask', '    ', ui('clarify')],
          ['lang', 'xx', ui('langUsage')],
          ['lang', '', ui('langUsage')],
          ['lang', 'en zh fr', ui('langUsage')],
          ['source', 'extra', ui('sourceHeading')],
          ['summary', 'extra words', 'several hundred'],
          ['help', '<b>', ui('help').replace(/"/g, '&quot;')],
          ['start', 'deep-link-payload', 'Hi! I answer questions'],
          ['remind', '', 'Scheduled anti-fraud reminders'],
          ['remind', 'sometimes', 'Scheduled anti-fraud reminders'],
          ['foo', '', ui('clarify')],
          // Made-up words are asked to say more; a real question on another topic is out of scope.
          ['foo', 'bar baz', ui('clarify')],
          ['foo', 'write me a haiku about the ocean', ui('noMatch')],
        ];
        const summary: string[] = [];
        for (const [i, [name, args, expected]] of cases.entries()) {
          const from = user(6_100_000 + i);
          const before = fake.sent('sendMessage').length;
          await h.deliver(command(name, args, { from, chat: PRIVATE_CHAT(from) }));
          const replies = sentTexts(fake).slice(before);
          expect(replies.length, `/${name} ${args}`).toBeGreaterThanOrEqual(1);
          expect(replies.join('\n'), `/${name} ${args}`).toContain(expected);
          summary.push(String(replies.length));
        }
        expectValidOutput(fake);
        expect(sentTexts(fake).some((t) => t.includes(ui('apology')))).toBe(false);
        expect(problems(h.logs())).toEqual([]);
        return `${cases.length} commands, replies per command: ${[...new Set(summary)].join('/')}`;
      }),
  },
  {
    name: 'telegram: /remind with an impossible time or timezone',
    expected: 'the problem named, nothing subscribed; non-admin in a group refused',
    run: () =>
      withBot(async (fake, h) => {
        const users = [user(6_200_001), user(6_200_002), user(6_200_003)];
        const [a, b, c] = users as [User, User, User];
        await h.deliver(command('remind', 'on 25:99 Mars/Olympus', { from: a, chat: PRIVATE_CHAT(a) }));
        await h.deliver(command('remind', 'on 25:99 Asia/Taipei', { from: b, chat: PRIVATE_CHAT(b) }));
        await h.deliver(command('remind', 'on 20:00 Mars/Olympus', { from: c, chat: PRIVATE_CHAT(c) }));
        await h.deliver(command('remind', 'on 20:00 Asia/Taipei', { from: BOB, chat: GROUP }));
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(4);
        expect(texts[0]).toMatch(/Mars\/Olympus|25:99/);
        expect(texts[1]).toContain('25:99');
        expect(texts[2]).toContain('Mars/Olympus');
        expect(texts[3]).toContain(h.core.composer.text('remindAdminOnly', 'en'));
        for (const chat of [...users.map((u) => u.id), GROUP.id])
          expect(await h.reminders.status('telegram', String(chat))).toBeUndefined();
        return '3 problems named, group refused, 0 subscriptions';
      }),
  },
  {
    name: 'telegram: forged callback data (random bytes, over 64 bytes, bad format)',
    expected: 'every press answered with "button expired", nothing posted',
    run: () =>
      withBot(async (fake, h) => {
        const forged = [
          '\u0000\u00ff\ud83d\ude00%%$#@!\uffff',
          `e:${'a'.repeat(70)}`,
          'x'.repeat(200),
          'b:p9999',
          'l:xx',
          't:en:../../etc/passwd',
          `c:summary:${'z'.repeat(11)}`,
          'c:remind:on',
          '{"type":"entry","id":"rec.1"}',
        ];
        for (const data of forged) await h.deliver(callback(data));
        const answers = fake.sent('answerCallbackQuery');
        expect(answers).toHaveLength(forged.length);
        for (const a of answers) expect(a.params.text).toBe(h.core.composer.text('buttonExpired', 'zh-Hans'));
        expect(fake.sent('sendMessage')).toHaveLength(0);
        expect(problems(h.logs())).toEqual([]);
        return `${forged.length} presses answered "expired", 0 messages`;
      }),
  },
  {
    name: 'telegram: well-formed callback for an unknown entry or block',
    expected: 'each press answered "button expired", nothing posted, no error',
    run: () =>
      withBot(async (fake, h) => {
        const stale = ['e:no.such-entry', 'b:p999', 't:en:gone.entry', 'b:rec99'];
        for (const data of stale) await h.deliver(callback(data));
        const acks = fake.sent('answerCallbackQuery').map((c) => String(c.params.text ?? ''));
        expect(acks).toHaveLength(stale.length);
        expect(acks.every((t) => t.length > 0)).toBe(true);
        expect(fake.sent('sendMessage')).toHaveLength(0);
        expect(problems(h.logs())).toEqual([]);
        return `${stale.length} presses answered "expired", 0 messages`;
      }),
  },
  {
    name: 'telegram: a late button press (Telegram refuses answerCallbackQuery)',
    expected: 'the answer is still posted; no apology, no error',
    run: () =>
      withBot(async (fake, h) => {
        const tooOld = {
          error_code: 400,
          description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
        };
        fake.failNext('answerCallbackQuery', tooOld, 2);
        await h.deliver(callback('t:en:rec.1'));
        await h.deliver(callback('forged!'));
        const texts = sentTexts(fake);
        expect(texts).toHaveLength(1);
        expect(texts[0]).toContain('first recommendation');
        expect(texts.some((t) => t.includes(h.core.composer.text('apology', 'zh-Hans')))).toBe(false);
        expect(h.logs()).not.toContain('"level":50');
        return 'answer posted, spinner lost only';
      }),
  },
  {
    name: 'telegram: a button press on an inline message (no chat)',
    expected: 'answered with "button expired", nothing posted',
    run: () =>
      withBot(async (fake, h) => {
        await h.deliver({
          callback_query: { id: 'cbq-inline', from: ALICE, chat_instance: '42', inline_message_id: 'BAAAAAAA', data: 'e:rec.1' },
        } as unknown as Incoming);
        expect(fake.sent('answerCallbackQuery')).toHaveLength(1);
        expect(fake.sent('sendMessage')).toHaveLength(0);
        return 'answered "expired", 0 messages';
      }),
  },
  {
    name: 'telegram: a channel post (channel_post update)',
    expected: 'no reply, no error; channel posts are not even asked for',
    run: () =>
      withBot(async (fake, h) => {
        const channel = { id: -1009876543210, type: 'channel', title: 'Scam alerts' };
        await h.deliver({
          channel_post: {
            message_id: 1,
            date: seconds(),
            chat: channel,
            sender_chat: channel,
            text: '@FraudNewsBot 抓了多少人?',
            entities: [{ type: 'mention', offset: 0, length: 13 }],
          },
        } as unknown as Incoming);
        // A group message "sent as" a linked channel, not addressed to the bot: chatter.
        await h.deliver(rawMessage(GROUP, undefined, { sender_chat: channel, is_automatic_forward: true, text: '抓了多少人?' }));
        expect(fake.calls.filter((c) => c.method !== 'getMe')).toEqual([]);
        expect(problems(h.logs())).toEqual([]);
        expect(ALLOWED_UPDATES).not.toContain('channel_post');
        return 'ignored, no call, no log';
      }),
  },
  {
    name: 'telegram: an edited message',
    expected: 'the original answered once; the edit ignored (no second answer)',
    run: () =>
      withBot(async (fake, h) => {
        const original = textMessage('抓了多少人?') as unknown as { message: Record<string, unknown> };
        await h.deliver(original as unknown as Incoming);
        await h.deliver({ edited_message: { ...original.message, text: '中國做了什麼?', edit_date: seconds() } } as unknown as Incoming);
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(1);
        expect(texts[0]).toMatch(ARREST_FIGURE);
        expect(problems(h.logs())).toEqual([]);
        expect(ALLOWED_UPDATES).not.toContain('edited_message');
        return '1 answer (to the original), edit ignored';
      }),
  },
  {
    name: 'telegram: a forwarded message in a group not addressing the bot',
    expected: 'ignored in the group; the same forward in private is answered',
    run: () =>
      withBot(async (fake, h) => {
        const forward = { forward_origin: { type: 'user', date: seconds() - 60, sender_user: BOB }, text: '抓了多少人? 快轉發!' };
        await h.deliver(rawMessage(GROUP, ALICE, forward));
        await h.deliver(
          rawMessage(GROUP, ALICE, { ...forward, forward_origin: { type: 'hidden_user', date: seconds(), sender_user_name: 'X' } }),
        );
        expect(sendsTo(fake, GROUP.id)).toHaveLength(0);
        await h.deliver(rawMessage(PRIVATE_CHAT(), ALICE, forward));
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(1);
        expect(texts[0]).toMatch(ARREST_FIGURE);
        return 'group: 0 replies; private: 1 answer';
      }),
  },
  {
    name: 'telegram: sticker, photo and voice without text',
    expected: 'ignored in a group (even as a reply to the bot); a short clarify in private',
    run: () =>
      withBot(async (fake, h) => {
        const botMessage = { message_id: 1, date: seconds(), chat: GROUP, from: FAKE_BOT, text: '…' };
        for (const media of [{ sticker }, { photo }, { voice }, { sticker, reply_to_message: botMessage }])
          await h.deliver(rawMessage(GROUP, ALICE, media));
        expect(sendsTo(fake, GROUP.id)).toHaveLength(0);
        for (const media of [{ sticker }, { photo }, { voice }]) await h.deliver(rawMessage(PRIVATE_CHAT(BOB), BOB, media));
        // With a caption the photo carries a question.
        await h.deliver(rawMessage(PRIVATE_CHAT(BOB), BOB, { photo, caption: 'How many people were arrested?' }));
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(4);
        for (const t of texts.slice(0, 3)) {
          expect(t).toContain(h.core.composer.text('clarify', 'en'));
          expect(t.length).toBeLessThan(400);
        }
        expect(texts[3]).toMatch(ARREST_FIGURE);
        return 'group: 0; private: 3 clarify + captioned photo answered';
      }),
  },
  {
    name: 'telegram: an anonymous admin (sender_chat, no from) mentions the bot',
    expected: 'answered in the group like anyone else',
    run: () =>
      withBot(async (fake, h) => {
        await h.deliver(
          rawMessage(GROUP, undefined, {
            sender_chat: GROUP,
            text: '@FraudNewsBot 抓了多少人?',
            entities: [{ type: 'mention', offset: 0, length: 13 }],
          }),
        );
        const texts = expectValidOutput(fake);
        expect(texts).toHaveLength(1);
        expect(texts[0]).toMatch(P3_CITATION);
        return 'answered with [p3]';
      }),
  },
];

const faultCases: HardeningCase[] = [
  {
    name: 'telegram: 429 Too Many Requests, then success',
    expected: 'waits retry_after, then delivered exactly once',
    run: () =>
      withBot(async (fake, h) => {
        fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
        const started = Date.now();
        await h.deliver(textMessage('抓了多少人?'));
        const ms = Date.now() - started;
        expect(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => c.ok)).toEqual([false, true]);
        expect(ms).toBeGreaterThanOrEqual(900);
        expect(h.logs()).not.toContain('"level":50');
        return `2 attempts, delivered once after ${ms} ms`;
      }),
  },
  {
    name: 'telegram: 403 (the user blocked the bot)',
    expected: 'recorded quietly, one attempt per message, no apology, others answered',
    run: () =>
      withBot(async (fake, h) => {
        fake.failChat(ALICE.id, { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
        for (let i = 0; i < 3; i++) await h.deliver(textMessage('抓了多少人?'));
        await h.deliver(textMessage('抓了多少人?', { from: BOB, chat: PRIVATE_CHAT(BOB) }));
        expect(sendsTo(fake, ALICE.id, false)).toHaveLength(3);
        expect(await h.store.namespace('telegram-blocked').get(String(ALICE.id))).toBeTypeOf('number');
        expect(h.logs()).toContain('cannot write to this chat');
        expect(h.logs()).not.toContain('"level":50');
        expect(sendsTo(fake, BOB.id)).toHaveLength(1);
        return '3 attempts for 3 messages, blocked recorded, no error';
      }),
  },
  {
    name: 'telegram: 500 on sendMessage',
    expected: 'retried by auto-retry after its backoff, delivered exactly once',
    timeoutMs: 30_000,
    run: () =>
      withBot(async (fake, h) => {
        fake.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' });
        const started = Date.now();
        await h.deliver(textMessage('抓了多少人?'));
        const ms = Date.now() - started;
        expect(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => c.ok)).toEqual([false, true]);
        expect(sentTexts(fake)[0]).toMatch(ARREST_FIGURE);
        expect(h.logs()).not.toContain('"level":50');
        return `delivered once on the retry, after ${ms} ms`;
      }),
  },
  {
    name: 'telegram: sendMessage hangs once (longer than the call timeout)',
    expected: 'the call is abandoned at the timeout, retried, delivered exactly once',
    run: () =>
      withBot(
        async (fake, h) => {
          fake.delay('sendMessage', 3000);
          const started = Date.now();
          const delivery = h.deliver(textMessage('抓了多少人?'));
          await waitUntil(() => fake.arrived('sendMessage') >= 1, 2000, 'the first sendMessage');
          fake.delay('sendMessage', 0);
          await delivery;
          const ms = Date.now() - started;
          // The hung first call is recorded (as not answered) once the fake gets round to it.
          await waitUntil(() => fake.calls.filter((c) => c.method === 'sendMessage').length >= 2, 5000, 'both sendMessage calls');
          expect(fake.arrived('sendMessage')).toBe(2);
          expect(fake.sent('sendMessage')).toHaveLength(1);
          expect(ms).toBeLessThan(2500);
          return `abandoned after 300 ms, delivered once in ${ms} ms`;
        },
        { callTimeoutSeconds: 0.3 },
      ),
  },
  {
    name: 'telegram: sendMessage hangs every time',
    expected: 'bounded: 3 attempts, then one network error logged, no apology; chat not stuck',
    timeoutMs: 30_000,
    run: () =>
      withBot(
        async (fake, h) => {
          fake.delay('sendMessage', 1500);
          const started = Date.now();
          await h.deliver(textMessage('抓了多少人?'));
          const ms = Date.now() - started;
          expect(fake.arrived('sendMessage')).toBe(3);
          expect(ms).toBeLessThan(10_000);
          expect(h.logs()).toContain('"kind":"network"');
          fake.delay('sendMessage', 0);
          await h.deliver(textMessage('抓了多少人?'));
          await waitUntil(() => fake.calls.filter((c) => c.method === 'sendMessage').length >= 4, 3000, 'the hung calls');
          // Only the later message arrived: no apology went out for the failed one.
          expect(sentTexts(fake)).toHaveLength(1);
          expect(sentTexts(fake)[0]).toMatch(ARREST_FIGURE);
          return `gave up after 3 attempts in ${ms} ms; next answered`;
        },
        { callTimeoutSeconds: 0.3 },
      ),
  },
  {
    name: 'telegram: Bot API unreachable (connection refused)',
    expected: 'bounded retries, a network error logged, the update finishes',
    timeoutMs: 30_000,
    run: () =>
      withBot(async (fake, h) => {
        await fake.close();
        const started = Date.now();
        await h.deliver(textMessage('抓了多少人?'));
        await h.deliver(textMessage('中國做了什麼?'));
        const ms = Date.now() - started;
        expect(ms).toBeLessThan(15_000);
        const failures = problems(h.logs()).filter((l) => l.includes('"kind":"network"'));
        expect(failures).toHaveLength(2);
        return `both updates gave up in ${ms} ms, 2 network errors logged`;
      }),
  },
  {
    name: 'telegram: duplicate update ids',
    expected: 'each update id answered once (repeated, concurrent, or with other content)',
    run: () =>
      withBot(async (fake, h) => {
        const first = { ...textMessage('抓了多少人?'), update_id: 4242 };
        for (let i = 0; i < 3; i++) await h.deliver(first);
        const second = { ...textMessage('中國做了什麼?', { from: BOB, chat: PRIVATE_CHAT(BOB) }), update_id: 4343 };
        await Promise.all([h.deliver(second), h.deliver(second), h.deliver(second)]);
        await h.deliver({ ...textMessage('第三條建議是什麼?', { from: BOB, chat: PRIVATE_CHAT(BOB) }), update_id: 4242 });
        expect(sendsTo(fake, ALICE.id)).toHaveLength(1);
        expect(sendsTo(fake, BOB.id)).toHaveLength(1);
        return '7 deliveries of 2 ids, 2 answers';
      }),
  },
  {
    name: 'telegram: out-of-order update ids',
    expected: 'each answered exactly once, whatever the order',
    run: () =>
      withBot(async (fake, h) => {
        const updates = [
          { ...textMessage('抓了多少人?'), update_id: 9003 },
          { ...textMessage('中國做了什麼?'), update_id: 9001 },
          { ...textMessage('How many people were arrested?', { from: BOB, chat: PRIVATE_CHAT(BOB) }), update_id: 9002 },
          { ...textMessage('第三條建議是什麼?'), update_id: 8000 },
        ];
        for (const u of updates) await h.deliver(u);
        await h.deliver(updates[1] as Incoming);
        expect(sendsTo(fake, ALICE.id)).toHaveLength(3);
        expect(sendsTo(fake, BOB.id)).toHaveLength(1);
        expectValidOutput(fake);
        return '4 ids in reverse-ish order, 4 answers';
      }),
  },
  {
    name: 'telegram: the bot token never appears in logs after failures',
    expected: 'errors logged (401, 400, 403, 429, network) without the token',
    timeoutMs: 30_000,
    run: () =>
      withBot(async (fake, h) => {
        fake.failNext('sendMessage', { error_code: 401, description: 'Unauthorized' });
        await h.deliver(textMessage('抓了多少人?'));
        fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
        await h.deliver(textMessage('抓了多少人?', { from: BOB, chat: PRIVATE_CHAT(BOB) }));
        fake.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was kicked from the group chat' });
        await h.deliver(mention('抓了多少人?'));
        fake.failNext('sendMessage', {
          error_code: 429,
          description: 'Too Many Requests: retry after 120',
          parameters: { retry_after: 120 },
        });
        await h.deliver(mention('中國做了什麼?', { from: BOB }));
        fake.failNext('answerCallbackQuery', { error_code: 400, description: 'Bad Request: query is too old' });
        await h.deliver(callback('e:rec.1'));
        await fake.close();
        await h.deliver(textMessage('第三條建議是什麼?'));
        const logs = h.logs();
        expect(problems(logs).length).toBeGreaterThanOrEqual(3);
        expect(logs).toContain('"kind":"network"');
        const secret = fake.token.split(':')[1] as string;
        expect(logs).not.toContain(fake.token);
        expect(logs).not.toContain(secret);
        expect(logs).not.toContain(encodeURIComponent(fake.token));
        return `${logs.split('\n').length - 1} log lines, ${problems(logs).length} errors, token absent`;
      }),
  },
];

const loadCases: HardeningCase[] = [
  {
    name: 'telegram: a burst of 1,000 updates from 200 chats in about a second',
    expected: 'every message answered exactly once, in order per chat; heap bounded; no unhandled rejection',
    timeoutMs: 60_000,
    run: () =>
      withBot(
        async (fake, h) => {
          const unhandled: unknown[] = [];
          const onUnhandled = (reason: unknown) => unhandled.push(reason);
          process.on('unhandledRejection', onUnhandled);
          try {
            const questions = [
              '抓了多少人?',
              'What did China do?',
              '第三條建議是什麼?',
              'Where were the compounds?',
              '中国提供了什么协助?',
            ];
            const updates: Update[] = [];
            let id = 500_000;
            // 150 private chats and 50 groups (five members asking once each), five messages per chat.
            for (let round = 0; round < 5; round++) {
              for (let c = 0; c < 150; c++) {
                const from = user(7_000_000 + c);
                updates.push({
                  ...textMessage(questions[(c + round) % 5] as string, { from, chat: PRIVATE_CHAT(from) }),
                  update_id: id++,
                } as Update);
              }
              for (let g = 0; g < 50; g++)
                updates.push({
                  ...mention(questions[(g + round) % 5] as string, {
                    from: user(7_100_000 + g * 5 + round),
                    chat: group(-1_007_000_000 - g),
                  }),
                  update_id: id++,
                } as Update);
            }
            // Interleaved across chats, so every chat has several updates in flight at once.
            updates.sort((a, b) => ((a.update_id * 7919) % 1000) - ((b.update_id * 7919) % 1000));
            const gc = garbageCollector();
            // Warm up (JIT, sockets, caches), so the heap comparison measures the burst itself.
            const warm = user(7_999_999);
            await h.deliver(textMessage('抓了多少人?', { from: warm, chat: PRIVATE_CHAT(warm) }));
            gc?.();
            const heapBefore = process.memoryUsage().heapUsed;
            const started = Date.now();
            const handling: Promise<void>[] = [];
            for (let wave = 0; wave < 10; wave++) {
              for (const u of updates.slice(wave * 100, wave * 100 + 100)) handling.push(h.bot.handleUpdate(u));
              await new Promise((r) => setTimeout(r, 100));
            }
            const results = await Promise.allSettled(handling);
            const ms = Date.now() - started;
            expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
            await h.core.flush();
            gc?.();
            const growthMb = (process.memoryUsage().heapUsed - heapBefore) / 1_048_576;

            const sends = fake.sent('sendMessage').filter((c) => Number(c.params.chat_id) !== warm.id);
            expect(sends).toHaveLength(1000);
            expect(fake.calls.filter((c) => !c.ok)).toEqual([]);
            const perChat = new Map<number, number[]>();
            for (const call of sends) {
              const chat = Number(call.params.chat_id);
              const replyTo = (call.params.reply_parameters as { message_id?: number } | undefined)?.message_id ?? 0;
              perChat.set(chat, [...(perChat.get(chat) ?? []), replyTo]);
            }
            // Groups: answers reply to the questions, in the order the questions came in.
            const asked = new Map<number, number[]>();
            for (const u of updates) {
              const m = u.message as { chat: { id: number }; message_id: number };
              if (m.chat.id < 0) asked.set(m.chat.id, [...(asked.get(m.chat.id) ?? []), m.message_id]);
            }
            expect(perChat.size).toBe(200);
            for (const [chat, replies] of perChat) {
              expect(replies, `chat ${chat}`).toHaveLength(5);
              if (chat < 0) expect(replies, `group ${chat}`).toEqual(asked.get(chat));
            }
            expect(unhandled).toEqual([]);
            expect(growthMb).toBeLessThan(48);
            return `1000/1000 answered in ${ms} ms, 5 per chat, heap +${growthMb.toFixed(1)} MB${gc ? '' : ' (no gc)'}`;
          } finally {
            process.off('unhandledRejection', onUnhandled);
          }
        },
        { logLevel: 'info' },
      ),
  },
  {
    name: `telegram: one user flooding 100 messages`,
    expected: `${FLOOD_LIMIT} answers, exactly one "too fast" notice, then silence; others still answered`,
    timeoutMs: 30_000,
    run: () =>
      withBot(async (fake, h) => {
        const flood = Array.from({ length: 100 }, (_, i) => h.deliver(textMessage(i % 2 ? '抓了多少人?' : '中國做了什麼?')));
        const others = [
          h.deliver(textMessage('How many people were arrested?', { from: BOB, chat: PRIVATE_CHAT(BOB) })),
          h.deliver(mention('抓了多少人?', { from: BOB })),
        ];
        await Promise.all([...flood, ...others]);
        // Still within the minute: the flooder's next message gets nothing at all.
        await h.deliver(textMessage('抓了多少人?'));
        const toAlice = sendsTo(fake, ALICE.id).map((c) => String(c.params.text));
        const notice = h.core.composer.text('slowDown', 'zh-Hans');
        expect(toAlice).toHaveLength(FLOOD_LIMIT + 1);
        expect(toAlice.filter((t) => t.includes(notice))).toHaveLength(1);
        expect(toAlice.at(-1)).toContain(notice);
        expect(sendsTo(fake, BOB.id)).toHaveLength(1);
        expect(sendsTo(fake, GROUP.id)).toHaveLength(1);
        expectValidOutput(fake);
        return `${toAlice.length - 1} answers + 1 notice, 80 ignored; others answered`;
      }),
  },
];

export const telegramCases: HardeningCase[] = [...inputCases, ...faultCases, ...loadCases];
