import { describe, expect, it } from 'vitest';
import { createTestCore } from '../helpers/core.ts';

describe('a number of recommendations is a count, not an ordinal', () => {
  it.each([
    ['四條建議是什麼', 'zh-Hant'],
    ['文章的四條建議是什麼?', 'zh-Hant'],
    ['四条建议有哪些', 'zh-Hans'],
    ['佢提咗幾多條建議?', 'zh-Hant'],
    ['文章有几条建议', 'zh-Hans'],
    ['what are the 4 recommendations?', 'en'],
    ['how many recommendations does the article make', 'en'],
  ] as const)('%s → the whole list of recommendations', async (text, lang) => {
    const { core, store } = await createTestCore();
    const trace = core.answerer.answerFresh({ text, lang });
    expect(trace.reply.kind).toBe('answer');
    expect(trace.reply.entryId).toBe('advice.list');
    expect(trace.reply.citations.map((c) => c.block)).toEqual(expect.arrayContaining(['rec1', 'rec2', 'rec3', 'rec4']));
    await store.close();
  });

  it.each([
    ['文章提出的五條建議是什麼', 'zh-Hant'],
    ['tell me the five anti-fraud recommendations', 'en'],
  ] as const)('%s (more than the article makes) → the list, saying the article makes four', async (text, lang) => {
    const { core, store } = await createTestCore();
    const trace = core.answerer.answerFresh({ text, lang });
    expect(trace.reply.kind).toBe('not_in_article');
    expect(trace.reply.blocks.map((b) => ('text' in b ? b.text : '')).join(' ')).toMatch(/4/);
    await store.close();
  });

  it.each([
    ['第四條建議是什麼', 'rec4'],
    ['What is the fourth recommendation?', 'rec4'],
    ['建議二', 'rec2'],
  ] as const)('%s is still that one recommendation', async (text, block) => {
    const { core, store } = await createTestCore();
    const trace = core.answerer.answerFresh({ text, lang: 'en' });
    expect(new Set(trace.reply.citations.map((c) => c.block))).toEqual(new Set([block]));
    await store.close();
  });
});
