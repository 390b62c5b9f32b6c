import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeArticleFile } from '../../src/content/build.ts';
import { checkArticle } from '../../src/content/check.ts';
import { ingestArticle, sha256 } from '../../src/content/ingest.ts';
import { loadContent } from '../../src/content/load.ts';
import { ContentError } from '../../src/errors.ts';
import { testConvert } from '../helpers/core.ts';

const ID = 'cambodia-scam-sweep';
const DIR = join('content', 'articles', ID);
const SEED = join('..', 'shared', 'seed', 'article-raw.txt');
const source = readFileSync(join(DIR, 'source.txt'), 'utf8');

/** A private copy of content/ to break on purpose. */
function contentCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'content-'));
  cpSync('content', dir, { recursive: true });
  return dir;
}

// The scraped seed's sha256, recorded when source.txt was taken from it: the repository alone
// proves source.txt is still the article as scraped; the seed folder beside a checkout is optional.
const SEED_SHA256 = '7ef280673c4406eb3696b0ebe396ad8e702f44733a389d2dcecd317bced6fd74';

describe('source of record', () => {
  it('is the scraped article byte for byte (its hash as recorded in the repository)', () => {
    expect(sha256(readFileSync(join(DIR, 'source.txt')))).toBe(SEED_SHA256);
  });

  it('is the hash article.json was built from', () => {
    const article = JSON.parse(readFileSync(join(DIR, 'article.json'), 'utf8')) as { sourceSha256: string };
    expect(article.sourceSha256).toBe(SEED_SHA256);
  });

  it('is byte-identical to the scraped seed, where the seed folder is beside the checkout', (ctx) => {
    ctx.skip(!existsSync(SEED), `${SEED} is absent (a fresh clone has no ../shared): the recorded hash above stands in for it`);
    expect(sha256(readFileSync(SEED))).toBe(SEED_SHA256);
  });
});

describe('ingest (content build)', () => {
  const article = ingestArticle(source);
  const text = article.blocks.map((b) => b.text).join('\n');

  it('gives every block a stable id: title, p1…p8, rec1…rec4, closing', () => {
    expect(article.blocks.map((b) => b.id)).toEqual([
      'title',
      'p1',
      'p2',
      'p3',
      'p4',
      'p5',
      'p6',
      'p7',
      'p8',
      'rec1',
      'rec2',
      'rec3',
      'rec4',
      'closing',
    ]);
  });

  it('removes pinyin annotations', () => {
    expect(source).toContain('區(qū)');
    expect(text).not.toMatch(/\((?:[a-zA-Z\u00C0-\u024F]+)\)/);
    expect(article.blocks[0]?.text).toBe('柬埔寨政府掃蕩電詐園區\uFF0C大批人員神秘轉移\uFF0C國際反詐合作再升級');
  });

  it('removes the comment-box footer and the bullet lines', () => {
    expect(text).not.toContain('還沒有評論');
    expect(article.blocks.some((b) => b.text === '-')).toBe(false);
  });

  it('turns the four bullets into numbered recommendations', () => {
    const recs = article.blocks.filter((b) => b.kind === 'recommendation');
    expect(recs.map((r) => r.id)).toEqual(['rec1', 'rec2', 'rec3', 'rec4']);
    expect(recs[3]?.text.startsWith('加強對電信運營商的監管')).toBe(true);
  });

  it('normalizes ASCII commas and colons in Chinese text to full width, everywhere', () => {
    expect(text).not.toMatch(/[,:]/);
    expect(text.split('\uFF0C').length).toBeGreaterThan(40);
  });

  it('keeps the leftover Simplified characters as they are (matching is script-insensitive)', () => {
    expect(text).toContain('并進行了神秘轉移');
  });

  it('is deterministic, and the committed article.json is what it builds', () => {
    const committed = readFileSync(join(DIR, 'article.json'), 'utf8');
    expect(serializeArticleFile({ id: ID, language: 'zh-Hant', ...ingestArticle(source) })).toBe(committed);
  });
});

describe('content check', () => {
  const convert = testConvert();

  it('passes on the shipped content', async () => {
    expect(await checkArticle('content', ID, convert)).toEqual([]);
  });

  async function problemsAfter(edit: (dir: string) => void) {
    const dir = contentCopy();
    edit(join(dir, 'articles', ID));
    return checkArticle(dir, ID, convert);
  }
  const editKnowledge = (fn: (yaml: string) => string) => (dir: string) => {
    const file = join(dir, 'knowledge.yaml');
    writeFileSync(file, fn(readFileSync(file, 'utf8')));
  };

  it('names file and field when a quote is not verbatim', async () => {
    const problems = await problemsAfter(
      editKnowledge((y) => y.replace('quote: 柬埔寨警方共抓獲犯罪嫌疑人數百名', 'quote: 柬埔寨警方共抓獲犯罪嫌疑人數千名')),
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.file).toMatch(/knowledge\.yaml$/);
    expect(problems[0]?.field).toMatch(/citations\.\d+\.quote$/);
    expect(problems[0]?.message).toContain('not verbatim');
  });

  it('accepts a quote in the other script (matching is script-insensitive)', async () => {
    const problems = await problemsAfter(
      editKnowledge((y) => y.replace('quote: 柬埔寨警方共抓獲犯罪嫌疑人數百名', 'quote: 柬埔寨警方共抓获犯罪嫌疑人数百名')),
    );
    expect(problems).toEqual([]);
  });

  it('catches a citation of a missing block', async () => {
    const problems = await problemsAfter(editKnowledge((y) => y.replace(/block: p3\n/, 'block: p42\n')));
    expect(problems.some((p) => p.field.endsWith('.block') && p.message.includes('"p42" does not exist'))).toBe(true);
  });

  it('catches a missing language', async () => {
    const problems = await problemsAfter(
      editKnowledge((y) => y.replace(/\n {6}en: "According to the article, Cambodian police caught[^\n]*/, '')),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toMatch(/^entries\.\d+\.answer\.en$/);
  });

  it('catches an annotation or footer that survived cleaning', async () => {
    const problems = await problemsAfter((dir) => {
      const file = join(dir, 'article.json');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('掃蕩電詐園區', '掃蕩電詐園區(qū)').replace('貢獻力量。', '貢獻力量。還沒有評論'),
      );
    });
    const messages = problems.map((p) => `${p.field}: ${p.message}`);
    expect(messages.some((m) => m.includes('pinyin annotation'))).toBe(true);
    expect(messages.some((m) => m.includes('comment-box footer'))).toBe(true);
    expect(messages.some((m) => m.includes('is not what source.txt builds'))).toBe(true);
  });

  it('catches a source that no longer matches its checksum', async () => {
    const problems = await problemsAfter((dir) => writeFileSync(join(dir, 'source.txt'), `${source}\n`));
    expect(problems.some((p) => p.field === 'sourceSha256')).toBe(true);
  });

  it("catches 我國 in the bot's own voice", async () => {
    const problems = await problemsAfter(editKnowledge((y) => y.replace(/據文章，柬埔寨警方在這次行動中/, '據文章，我國')));
    expect(problems.some((p) => p.message.includes('我國'))).toBe(true);
  });

  it("names the article's self-reference and the bot's word for it, from knowledge.yaml", async () => {
    const problems = await problemsAfter(editKnowledge((y) => y.replace(/據文章，柬埔寨警方在這次行動中/, '據文章，我国')));
    expect(problems).toEqual([expect.objectContaining({ message: "says 我國/我国 in the bot's own voice: write 中國/中国" })]);
    expect(problems[0]?.field).toMatch(/^entries\.\d+ \([a-z.-]+\)\.answer\.zh-Hant$/);
  });

  it('accepts the self-reference inside quotation marks', async () => {
    const problems = await problemsAfter(editKnowledge((y) => y.replace(/據文章，柬埔寨警方在這次行動中/, '據文章，『我國』')));
    expect(problems).toEqual([]);
  });

  it('rejects a self-reference that is not a word', async () => {
    const problems = await problemsAfter(
      editKnowledge((y) =>
        y.replace(/selfReferences:\n(\s+)- says:\n(\s+)zh-Hant: \[我國\]/, 'selfReferences:\n$1- says:\n$2zh-Hant: [" "]'),
      ),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toMatch(/^provenance\.selfReferences\.0\.says\.zh-Hant\.0$/);
  });
});

describe('loading content', () => {
  it('fails with one line naming an unknown article', async () => {
    await expect(loadContent('content', 'no-such-article')).rejects.toThrow(
      /unknown article "no-such-article" \(available: cambodia-scam-sweep\)/,
    );
  });

  it('fails naming the file of corrupt YAML', async () => {
    const dir = contentCopy();
    writeFileSync(join(dir, 'articles', ID, 'knowledge.yaml'), 'entries: [unclosed');
    const error = await loadContent(dir, ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).file).toMatch(/knowledge\.yaml$/);
    expect((error as Error).message).toMatch(/not valid YAML/);
  });

  it('fails naming a missing file', async () => {
    const dir = contentCopy();
    writeFileSync(join(dir, 'ui.yaml'), 'greeting: {en: hi}');
    await expect(loadContent(dir, ID)).rejects.toThrow(/ui\.yaml: greeting\.zh-Hant/);
  });
});

describe('tips', () => {
  it('ship with the article: recommendations, facts and lessons, each cited', async () => {
    const content = await loadContent('content', ID);
    expect(content.tips.length).toBeGreaterThanOrEqual(12);
    expect(new Set(content.tips.map((t) => t.kind))).toEqual(new Set(['recommendation', 'fact', 'lesson']));
    for (const tip of content.tips) expect(tip.text.en).not.toMatch(/\d/);
  });

  it("content check names tips.yaml when a tip's quote is not verbatim", async () => {
    const dir = contentCopy();
    const file = join(dir, 'articles', ID, 'tips.yaml');
    const yaml = readFileSync(file, 'utf8');
    const quote = /quote: "?([^"\n]+)"?/.exec(yaml)?.[1] ?? '';
    writeFileSync(file, yaml.replace(quote, `${quote}（編造）`));
    const problems = await checkArticle(dir, ID, testConvert());
    expect(problems.some((p) => p.file.endsWith('tips.yaml') && p.field.startsWith('tips.') && p.message.includes('not verbatim'))).toBe(
      true,
    );
  });
});
