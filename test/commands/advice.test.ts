import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/protocol/event.ts';
import type { Reply } from '../../src/protocol/reply.ts';
import type { Lang } from '../../src/text/script.ts';
import { createTestCore, groupEvent } from '../helpers/core.ts';

const event = groupEvent;
const LOCALES = { 'zh-Hant': 'zh-TW', 'zh-Hans': 'zh-CN', en: 'en' } as const;
const textOf = (reply: Reply) => reply.blocks.flatMap((b) => (b.type === 'list' ? b.items : 'text' in b ? [b.text] : [])).join('\n');
const count = (text: string, part: string) => text.split(part).length - 1;

describe('the list of recommendations attributes to the article once, as its lead-in', () => {
  it.each<[string, Lang, Partial<ChatEvent>]>([
    ['/advice', 'zh-Hant', { command: 'advice', locale: LOCALES['zh-Hant'] }],
    ['/advice', 'zh-Hans', { command: 'advice', locale: LOCALES['zh-Hans'] }],
    ['/advice', 'en', { command: 'advice', locale: LOCALES.en }],
    ['文章有哪些建議？', 'zh-Hant', {}],
    ['文章有哪些建议？', 'zh-Hans', {}],
    ['what are the four recommendations', 'en', {}],
  ])('%s (%s)', async (text, lang, extra) => {
    const { core } = await createTestCore();
    const reply = await core.handle(event(text.startsWith('/') ? '' : text, extra));
    expect(reply.lang).toBe(lang);
    const lead = core.composer.text('attributionLead', lang);

    // Said once, in the paragraph before the list.
    expect(count(textOf(reply), lead)).toBe(1);
    const listAt = reply.blocks.findIndex((b) => b.type === 'list');
    const leadIn = reply.blocks[listAt - 1];
    expect(leadIn?.type === 'paragraph' && leadIn.text.startsWith(lead)).toBe(true);

    // Then the four items, each the recommendation itself…
    const list = reply.blocks[listAt];
    const items = list?.type === 'list' ? list.items : [];
    expect(items).toHaveLength(4);
    core.composer.recommendations.forEach((rec, i) => {
      const withoutLead = rec.answer[lang].slice(lead.length).trim().toLowerCase();
      expect(items[i]?.toLowerCase()).toBe(withoutLead);
    });
    // …and each still carries its citation.
    const cited = reply.citations.map((c) => c.block);
    for (const block of ['rec1', 'rec2', 'rec3', 'rec4']) expect(cited).toContain(block);
  });

  it('a single recommendation keeps its own attribution', async () => {
    const { core } = await createTestCore();
    const reply = await core.handle(event('2', { command: 'advice', locale: 'en' }));
    expect(textOf(reply).startsWith(core.composer.text('attributionLead', 'en'))).toBe(true);
  });
});
