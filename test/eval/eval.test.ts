import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { createTestCore, testConvert } from '../helpers/core.ts';
import { evaluate, loadEvalItems, summarize } from './evaluate.ts';
import { belowFloor, EVAL_FLOORS } from './floor.ts';

it('the development set has at least 150 questions', () => {
  expect(loadEvalItems('test/eval/questions.yaml').length).toBeGreaterThanOrEqual(150);
});

describe.each(EVAL_FLOORS)('evaluation set $file', (floor) => {
  const items = loadEvalItems(floor.file);

  it('is balanced: ≥30% of questions in each language', () => {
    for (const lang of ['zh-Hant', 'zh-Hans', 'en']) {
      expect(items.filter((i) => i.lang === lang).length / items.length).toBeGreaterThanOrEqual(0.3);
    }
  });

  it("passes at or above the floor, overall, in the strict categories and for confident-wrong answers; every quote is byte-for-byte the article's", async () => {
    const { core, store } = await createTestCore();
    const content = await loadContent('content', 'cambodia-scam-sweep');
    const convert = testConvert();
    const results = await evaluate(core, items, content.article.blocks.map((b) => b.text).join('\n'), convert);
    await store.close();
    const blocks = new Map(content.article.blocks.map((b) => [b.id, b.text]));
    for (const { reply, item } of results) {
      // Byte for byte: a citation carries the article's own characters, whatever the reader's script.
      for (const c of reply.citations) expect(blocks.get(c.block), `${item.id} cites ${c.block}`).toContain(c.quote);
      const ownVoice = reply.blocks.filter((b) => b.type === 'paragraph' || b.type === 'list').map((b) => JSON.stringify(b));
      expect(ownVoice.join('').replace(/「[^」]*」|“[^”]*”|\\"[^"]*\\"/g, ''), item.id).not.toMatch(/我國|我国/);
      for (const b of reply.blocks) if ('text' in b) expect(b.text.length).toBeLessThanOrEqual(3500);
    }
    expect(belowFloor(floor, summarize(results))).toEqual([]);
  });
});
