import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { discordRenderer } from '../../adapters/discord/render.ts';
import { renderTelegram } from '../../adapters/telegram/render.ts';
import { createConversation } from '../../src/core/conversation.ts';
import type { ChatEvent } from '../../src/protocol/event.ts';
import type { Lang } from '../../src/text/script.ts';
import { LANG_LABELS } from '../fixtures/replies.ts';
import { createTestCore, testConvert } from '../helpers/core.ts';

const event = (chatId: string, text: string): ChatEvent => ({ platform: 'telegram', chatId, userId: '42', chatType: 'private', text });
const CASES: [Lang, string, string, number][] = [
  // language, first question, the follow-up, the longest readable section (characters)
  ['zh-Hant', '這篇文章講了什麼？', '詳細一點', 120],
  ['zh-Hans', '这篇文章讲了什么？', '详细一点', 120],
  ['en', 'What happened in Cambodia?', 'tell me more', 400],
];

async function tellMeMore(lang: Lang, question: string, more: string) {
  const { core } = await createTestCore();
  await core.handle(event(lang, question));
  return { core, reply: await core.handle(event(lang, more)) };
}

describe('"tell me more" comes back in readable sections, following the article paragraph by paragraph', () => {
  it.each(CASES)('%s: "%s" then "%s"', async (lang, question, more, longest) => {
    const { core, reply } = await tellMeMore(lang, question, more);
    expect(reply.entryId).toBe('summary.long');

    // Sections: a short paragraph, then a quote from the article paragraph it retells.
    const types = reply.blocks.map((b) => b.type);
    expect(types.length).toBeGreaterThanOrEqual(2 * 5);
    expect(types).toEqual(types.map((_, i) => (i % 2 === 0 ? 'paragraph' : 'quote')));
    const paragraphs = reply.blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : []));
    for (const p of paragraphs) expect(Array.from(p).length).toBeLessThanOrEqual(longest);

    // In the article's order, each article paragraph once, each with a verbatim quote from it.
    const article = core.composer.content.article.blocks;
    const quoted = reply.blocks.flatMap((b) => (b.type === 'quote' ? [b] : []));
    const at = quoted.map((q) => article.findIndex((b) => b.id === q.blockId));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(new Set(at).size).toBe(at.length);
    for (const q of quoted) {
      const source = article.find((b) => b.id === q.blockId)?.text ?? '';
      // Shown converted only to Simplified; the citation keeps the article's exact characters.
      expect(lang === 'zh-Hans' ? testConvert().toLang(source, lang) : source).toContain(q.text);
      const cited = reply.citations.find(
        (c) => c.block === q.blockId && (lang === 'zh-Hans' ? testConvert().toLang(c.quote, lang) : c.quote) === q.text,
      );
      expect(source).toContain(cited?.quote);
    }

    // Nothing of the answer is lost in the split.
    const answer = core.composer.entries.get('summary.long')?.answer[lang] ?? '';
    expect(paragraphs.join(lang === 'en' ? ' ' : '')).toBe(answer);
  });

  it('an ordinary one-paragraph answer stays one paragraph with its first quotes', async () => {
    const { core } = await createTestCore();
    const reply = await core.handle(event('c', '柬埔寨警方抓了多少人?'));
    expect(reply.blocks.map((b) => b.type)).toEqual(['paragraph', 'quote', 'quote']);
  });

  it('Telegram and Discord show the sections in one message each, within their limits', async () => {
    const { core, reply } = await tellMeMore('en', 'What happened in Cambodia?', 'tell me more');
    const telegram = renderTelegram(reply, LANG_LABELS);
    expect(telegram).toHaveLength(1);
    expect((telegram[0]?.html ?? '').split('<blockquote>').length - 1).toBe(reply.blocks.filter((b) => b.type === 'quote').length);
    const discord = discordRenderer(createConversation({ core, logger: pino({ level: 'silent' }) }))(reply);
    expect(discord).toHaveLength(1);
    expect(discord[0]?.embeds.length).toBeLessThanOrEqual(10);
  });
});
