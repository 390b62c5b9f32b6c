import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlToPlain, renderTelegram } from '../../adapters/telegram/render.ts';
import { decodeAction, encodeAction } from '../../src/protocol/button-data.ts';
import { parseTelegramHtml } from '../fakes/telegram-html.ts';
import { LANG_LABELS, replyOf } from '../fixtures/replies.ts';

const LABELS = LANG_LABELS;

describe('renderTelegram (pure)', () => {
  it('renders each block kind as Telegram HTML', () => {
    const [message] = renderTelegram(
      replyOf([
        { type: 'notice', text: 'Generated <auto>' },
        { type: 'heading', text: 'Advice & more' },
        { type: 'paragraph', text: 'According to the article, "several hundred".' },
        { type: 'list', ordered: true, items: ['one', 'two'] },
        { type: 'quote', text: '柬埔寨警方共抓獲犯罪嫌疑人數百名', blockId: 'p3', label: 'Original (Chinese)' },
      ]),
      LABELS,
    );
    expect(message?.html).toBe(
      [
        '<i>Generated &lt;auto&gt;</i>',
        '<b>Advice &amp; more</b>',
        'According to the article, &quot;several hundred&quot;.',
        '1. one\n2. two',
        '<blockquote>柬埔寨警方共抓獲犯罪嫌疑人數百名\n— Original (Chinese) [p3]</blockquote>',
      ].join('\n\n'),
    );
    expect(parseTelegramHtml(message?.html ?? '').ok).toBe(true);
  });

  it('splits a 5,000-character answer at paragraph boundaries into valid messages under 4,096', () => {
    const paragraphs = Array.from({ length: 10 }, (_, i) => `${i}: ${'詐騙&<防範> '.repeat(60)}`);
    const messages = renderTelegram(replyOf(paragraphs.map((text) => ({ type: 'paragraph' as const, text }))), LABELS);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.html.length).toBeLessThanOrEqual(4096);
      expect(parseTelegramHtml(m.html).ok).toBe(true);
    }
    // Nothing lost, nothing cut mid-paragraph.
    expect(messages.map((m) => htmlToPlain(m.html)).join('\n\n')).toBe(paragraphs.join('\n\n'));
  });

  it('splits a single oversized block too, keeping every piece valid', () => {
    const messages = renderTelegram(replyOf([{ type: 'quote', text: '國'.repeat(9000), blockId: 'p1', label: '原文' }]), LABELS);
    expect(messages.length).toBe(3);
    for (const m of messages) {
      expect(m.html.length).toBeLessThanOrEqual(4096);
      expect(parseTelegramHtml(m.html).ok).toBe(true);
    }
  });

  it('puts buttons on the last message only, with a row to read the answer in the other languages', () => {
    const messages = renderTelegram(
      replyOf([{ type: 'paragraph', text: 'x'.repeat(5000) }], {
        entryId: 'fact.arrests',
        suggestions: [
          { label: 'Source paragraph', action: { type: 'block', id: 'p3' } },
          { label: 'The four recommendations', action: { type: 'command', command: 'advice' } },
        ],
      }),
      LABELS,
    );
    expect(messages[0]?.keyboard).toBeUndefined();
    expect(messages.at(-1)?.keyboard).toEqual([
      [{ text: 'Source paragraph', callback_data: 'b:p3' }],
      [{ text: 'The four recommendations', callback_data: 'c:advice' }],
      [
        { text: '繁', callback_data: 't:zh-Hant:fact.arrests' },
        { text: '简', callback_data: 't:zh-Hans:fact.arrests' },
      ],
    ]);
  });

  it('escapes everything it is given', () => {
    expect(escapeHtml('<b>&"</b>')).toBe('&lt;b&gt;&amp;&quot;&lt;/b&gt;');
  });
});

describe('callback data', () => {
  it.each([
    { type: 'entry', id: 'unknown.hotline' },
    { type: 'block', id: 'rec4' },
    { type: 'command', command: 'advice', arg: '2' },
    { type: 'lang', lang: 'zh-Hans' },
    { type: 'translate', lang: 'en', id: 'fact.china-role' },
  ] as const)('round-trips %o within 64 bytes', (action) => {
    const data = encodeAction(action);
    expect(Buffer.byteLength(data ?? '')).toBeLessThanOrEqual(64);
    expect(decodeAction(data)).toEqual(action);
  });

  it.each(['', 'e:', 'e:UPPER', 'b:p3; drop', 'c:rm', 'l:fr', 't:en:', 'e:a'.padEnd(80, 'x'), '{"type":"entry"}', 'b:../p3'])(
    'rejects %j',
    (data) => {
      expect(decodeAction(data)).toBeUndefined();
    },
  );
});
