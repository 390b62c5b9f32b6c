import { describe, expect, it } from 'vitest';
import { foldForMatch, foldForQuote, verbatimIn } from '../../src/text/fold.ts';
import { cleanText, hasNoWords, truncate } from '../../src/text/normalize.ts';
import { detectScript } from '../../src/text/script.ts';
import { testConvert } from '../helpers/core.ts';

const convert = testConvert();

describe('cleanText', () => {
  it('removes zero-width and bidi characters hidden inside words', () => {
    expect(cleanText('柬\u200b埔\u200d寨\u202e警方\ufeff')).toBe('柬埔寨警方');
  });
  it('removes control characters but keeps newlines', () => {
    expect(cleanText('a\u0000b\u0007c\u001b[31m\nd')).toBe('abc\nd');
  });
  it('applies NFKC and folds whitespace', () => {
    expect(cleanText('  ＡＢＣ\u3000\t１２３   \n\n\n x ')).toBe('ABC 123\nx');
  });
  it('drops lone surrogates instead of failing', () => {
    expect(cleanText('ok\uD800 fine')).toBe('ok fine');
  });
  it('truncates by code points with an ellipsis', () => {
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
  });
  it('knows text without words', () => {
    expect(hasNoWords('😀😀 ?!')).toBe(true);
    expect(hasNoWords('ok')).toBe(false);
  });
});

describe('detectScript', () => {
  it.each([
    ['這篇文章講了什麼?', 'hant', 'zh-Hant'],
    ['这篇文章讲了什么?', 'hans', 'zh-Hans'],
    ['嫌疑人被抓之后，警方做了什么?', 'hans', 'zh-Hans'],
    ['What is this article about?', 'latin', 'en'],
    ['柬埔寨', 'hant', undefined],
    ['😀', 'none', undefined],
  ])('%s → %s', (text, script, lang) => {
    const report = detectScript(text, convert);
    expect(report.script).toBe(script);
    expect(report.lang).toBe(lang);
  });
  it('reports mixed Chinese and English and picks the heavier one', () => {
    const report = detectScript('Cambodia 的 scam compounds 在哪裡 are they near Phnom Penh', convert);
    expect(report.script).toBe('mixed');
    expect(report.lang).toBe('en');
  });
});

describe('script conversion and folding', () => {
  it('converts both ways', () => {
    expect(convert.toSimplified('電詐園區')).toBe('电诈园区');
    expect(convert.toTraditional('电诈园区')).toBe('電詐園區');
    expect(convert.toLang('并于后', 'zh-Hant')).toBe('並於後');
  });
  it('folds Traditional, Simplified, full-width and punctuation to one form', () => {
    expect(foldForMatch('抓獲犯罪嫌疑人，數百名!', convert)).toBe(foldForMatch('抓获犯罪嫌疑人,数百名', convert));
    expect(foldForQuote('Phnom  Penh', convert)).toBe('phnompenh');
  });
});

describe('verbatimIn: a quote given in another script is mapped back to the article’s own characters', () => {
  const block = '據了解，此次柬埔寨政府打擊電信網絡詐騙的行動主要針對位于首都金邊周邊的多個電詐園區，這些園區通常由多個犯罪團伙共同經營';
  it('returns an exact quote unchanged', () => {
    expect(verbatimIn(block, '這些園區通常由多個犯罪團伙共同經營', testConvert())).toBe('這些園區通常由多個犯罪團伙共同經營');
  });
  it('maps a Simplified quote, with other punctuation, to the block’s exact substring', () => {
    const found = verbatimIn(block, '主要针对位于首都金边周边的多个电诈园区,这些园区', testConvert());
    expect(found).toBe('主要針對位于首都金邊周邊的多個電詐園區，這些園區');
    expect(block).toContain(found);
  });
  it('finds nothing for words the block does not hold', () => {
    expect(verbatimIn(block, '西港的園區', testConvert())).toBeUndefined();
  });
});
