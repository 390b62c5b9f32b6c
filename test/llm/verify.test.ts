import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { createVerifier } from '../../src/llm/verify.ts';
import type { Lang } from '../../src/text/script.ts';
import { testConvert } from '../helpers/core.ts';

const content = await loadContent('content', 'cambodia-scam-sweep');
const verifier = createVerifier(content, testConvert());
const CITATION = { block: 'p5', quote: '我國警方提供了大量情報支持' };

/** The answer as the user would see it after verification, or the reasons it was rejected. */
function repaired(answer: string, lang: Lang): string {
  const verdict = verifier.verify({ status: 'answered', answer, citations: [CITATION] }, { question: 'q', lang });
  if (!verdict.ok) throw new Error(verdict.reasons.join('; '));
  return verdict.answer.answer;
}

describe("the verifier's repair of the article's own voice (knowledge.yaml provenance.selfReferences)", () => {
  it('says 中國 for 我國 in Traditional Chinese, in either script', () => {
    expect(repaired('據文章，我國警方提供了情報支持。', 'zh-Hant')).toBe('據文章，中國警方提供了情報支持。');
    expect(repaired('據文章，我国警方提供了情报支持。', 'zh-Hant')).toBe('據文章，中國警方提供了情報支持。');
  });

  it('says 中国 for 我国 in Simplified Chinese', () => {
    expect(repaired('据文章，我国警方提供了情报支持。', 'zh-Hans')).toBe('据文章，中国警方提供了情报支持。');
  });

  it('keeps 我國 inside quotation marks as the article wrote it', () => {
    expect(repaired('文章說「我國警方提供了大量情報支持」。', 'zh-Hant')).toBe('文章說「我國警方提供了大量情報支持」。');
    expect(repaired('文章说“我国警方提供了大量情报支持”。', 'zh-Hans')).toBe('文章说“我国警方提供了大量情报支持”。');
  });

  it('says China for "our country" (either initial case) in English, and 中國 for a bare 我國', () => {
    expect(repaired('According to the article, our country gave intelligence support.', 'en')).toBe(
      'According to the article, China gave intelligence support.',
    );
    expect(repaired('Our country gave intelligence support, the article says.', 'en')).toBe(
      'China gave intelligence support, the article says.',
    );
    expect(repaired('According to the article, the police of 我國 gave intelligence support.', 'en')).toBe(
      'According to the article, the police of 中國 gave intelligence support.',
    );
    expect(repaired('The article says "our country" gave intelligence support.', 'en')).toBe(
      'The article says "our country" gave intelligence support.',
    );
  });

  it('leaves other words alone', () => {
    expect(repaired('According to the article, your country should stay alert; ourcountry is not a word.', 'en')).toBe(
      'According to the article, your country should stay alert; ourcountry is not a word.',
    );
  });
});
