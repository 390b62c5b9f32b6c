import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContentCached } from '../../src/content/cache.ts';
import { loadContent } from '../../src/content/load.ts';
import { ContentError } from '../../src/errors.ts';

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
    expect(await loadContentCached(contentDir, ID, cacheDir)).toEqual(validated);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(await loadContentCached(contentDir, ID, cacheDir)).toEqual(validated);
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
    writeFileSync(join(cacheDir, file as string), '{"article": trunc');
    expect(await loadContentCached(contentDir, ID, cacheDir)).toEqual(validated);
    expect(JSON.parse(readFileSync(join(cacheDir, file as string), 'utf8'))).toEqual(validated);
  });

  it('an unknown article still fails with the loader’s own error, and no cache folder is needed to load', async () => {
    const { contentDir } = copies();
    await expect(loadContentCached(contentDir, 'no-such-article', join(tmpdir(), 'unused-cache'))).rejects.toThrow(/unknown article/);
    expect((await loadContentCached(contentDir, ID, undefined)).article.id).toBe(ID);
  });
});
