import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadContentCached } from '../../src/content/cache.ts';
import type { Content } from '../../src/content/load.ts';
import { loadContent } from '../../src/content/load.ts';
import { ContentError } from '../../src/errors.ts';
import { extractFeatures } from '../../src/qa/features.ts';
import { type IndexSnapshot, ParaphraseIndex, snapshotOf } from '../../src/qa/paraphrase-index.ts';
import { foldForMatch } from '../../src/text/fold.ts';
import { loadEvalItems } from '../eval/evaluate.ts';
import { testConvert } from '../helpers/core.ts';

const ID = 'cambodia-scam-sweep';

function copies() {
  const root = mkdtempSync(join(tmpdir(), 'content-cache-'));
  cpSync('content', join(root, 'content'), { recursive: true });
  return { contentDir: join(root, 'content'), cacheDir: join(root, 'cache') };
}

describe('validated content kept per version of it', () => {
  it('validates on the first load, keeps the result, and gives the same content from the cache after', async () => {
    const { contentDir, cacheDir } = copies();
    const validated = await loadContent(contentDir, ID);
    expect((await loadContentCached(contentDir, ID, cacheDir)).content).toEqual(validated);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect((await loadContentCached(contentDir, ID, cacheDir)).content).toEqual(validated);
  });

  it('a changed content file is validated afresh: a broken edit is refused even though an older version was cached', async () => {
    const { contentDir, cacheDir } = copies();
    await loadContentCached(contentDir, ID, cacheDir);
    appendFileSync(join(contentDir, 'ui.yaml'), '\nnotAKnownKey: 1\n');
    await expect(loadContentCached(contentDir, ID, cacheDir)).rejects.toBeInstanceOf(ContentError);
  });

  it('keeps only the newest version of an article', async () => {
    const { contentDir, cacheDir } = copies();
    await loadContentCached(contentDir, ID, cacheDir);
    const [before] = readdirSync(cacheDir);
    appendFileSync(join(contentDir, 'ui.yaml'), '\n# an editor’s comment\n');
    await loadContentCached(contentDir, ID, cacheDir);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(readdirSync(cacheDir)).not.toContain(before);
  });

  it('a corrupt cache file is ignored and rewritten', async () => {
    const { contentDir, cacheDir } = copies();
    const validated = await loadContentCached(contentDir, ID, cacheDir);
    const [file] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, file as string), '{"content": trunc');
    expect(await loadContentCached(contentDir, ID, cacheDir)).toEqual(validated);
    expect(JSON.parse(readFileSync(join(cacheDir, file as string), 'utf8'))).toEqual(validated);
  });

  it('an unknown article still fails with the loader’s own error, and no cache folder is needed to load', async () => {
    const { contentDir } = copies();
    await expect(loadContentCached(contentDir, 'no-such-article', join(tmpdir(), 'unused-cache'))).rejects.toThrow(/unknown article/);
    expect((await loadContentCached(contentDir, ID, undefined)).content.article.id).toBe(ID);
  });

  it('what is derived from the content is computed once and kept with it, until the deriving code changes', async () => {
    const { contentDir, cacheDir } = copies();
    const module = join(cacheDir, '..', 'deriving-code.js');
    writeFileSync(module, 'export const version = 1;\n');
    let computed = 0;
    const derived = {
      modules: [pathToFileURL(module)],
      compute: (content: Content) => {
        computed += 1;
        return { entries: content.knowledge.entries.length };
      },
    };
    const first = await loadContentCached(contentDir, ID, cacheDir, derived);
    expect(first.derived?.entries).toBeGreaterThan(40);
    expect((await loadContentCached(contentDir, ID, cacheDir, derived)).derived).toEqual(first.derived);
    expect(computed).toBe(1);
    writeFileSync(module, 'export const version = 2;\n');
    await loadContentCached(contentDir, ID, cacheDir, derived);
    expect(computed).toBe(2);
  });
});

describe('the paraphrase index restored from its snapshot', () => {
  it('ranks every eval question exactly as the freshly built index does', async () => {
    const content = await loadContent('content', ID);
    const convert = testConvert();
    const fold = (text: string) => foldForMatch(text, convert);
    const { entries } = content.knowledge;
    const built = ParaphraseIndex.build(entries, fold);
    const restored = ParaphraseIndex.restore(entries, JSON.parse(JSON.stringify(snapshotOf(entries, fold))) as IndexSnapshot);
    const questions = loadEvalItems().map((item) => item.text);
    expect(questions.length).toBeGreaterThan(100);
    for (const question of questions) {
      const features = extractFeatures(fold(question));
      const ranking = (index: ParaphraseIndex) => index.search(features).map((m) => [m.entry.id, m.score.toFixed(12)]);
      expect(ranking(restored)).toEqual(ranking(built));
      expect(restored.coverage(features)).toBe(built.coverage(features));
    }
  });
});
