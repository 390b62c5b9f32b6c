import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Content } from './load.ts';

/** Changed when the loaded shape changes in a way no schema file shows. */
const CACHE_FORMAT = 3;
/** The schemas that decide what a valid content file becomes: a change to them is a change of key. */
const SCHEMA_MODULES = ['schema', 'ui-schema', 'llm-schema', 'language-schema'];

/** Something computed from the content at every start, cached with it (the paraphrase index). */
export interface Derived<D> {
  /** The modules whose code decides the result: their source is part of the key. */
  modules: readonly URL[];
  compute(content: Content): D;
}

/**
 * Loads content validated once per version of it, with what is derived from it: both are kept
 * in `cacheDir` under a key made of every content file's bytes and the source of the schemas
 * and of the deriving code, so a start with nothing changed skips YAML parsing, validation and
 * indexing. Any change, or an unreadable cache, validates afresh, with `loadContent`'s errors.
 */
export async function loadContentCached<D = undefined>(
  contentDir: string,
  articleId: string,
  cacheDir: string | undefined,
  derived?: Derived<D>,
): Promise<{ content: Content; derived: D | undefined }> {
  const key = cacheDir === undefined ? undefined : await cacheKey(contentDir, articleId, derived?.modules ?? []).catch(() => undefined);
  const file = key === undefined || cacheDir === undefined ? undefined : join(cacheDir, `${articleId}-${key}.json`);
  if (file !== undefined) {
    const cached = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as { content: Content; derived: D | undefined })
      .catch(() => undefined);
    if (cached?.content) return cached;
  }
  const { loadContent } = await import('./load.ts');
  const content = await loadContent(contentDir, articleId);
  const result = { content, derived: derived?.compute(content) };
  // Best effort: a read-only install simply validates at every start.
  if (file !== undefined && cacheDir !== undefined)
    await replaceCached(cacheDir, articleId, file, JSON.stringify(result)).catch(() => undefined);
  return result;
}

/**
 * dist/.content-cache for the compiled bot; none when run from the TypeScript sources (tsx:
 * development and tests), where content is checked at every start.
 */
export function compiledContentCacheDir(): string | undefined {
  return import.meta.url.endsWith('.js') ? fileURLToPath(new URL('../../.content-cache/', import.meta.url)) : undefined;
}

async function cacheKey(contentDir: string, articleId: string, modules: readonly URL[]): Promise<string> {
  const hash = createHash('sha256').update(`format ${CACHE_FORMAT}\n`);
  const add = async (label: string, path: string) =>
    hash
      .update(`${label}\n`)
      .update(await readFile(path))
      .update('\n');
  const articleDir = join(contentDir, 'articles', articleId);
  for (const name of (await readdir(articleDir)).sort()) await add(`article/${name}`, join(articleDir, name));
  for (const name of (await readdir(contentDir)).filter((n) => /\.(ya?ml|json)$/.test(n)).sort()) await add(name, join(contentDir, name));
  // The schema modules beside this one, compiled (.js) or not (.ts).
  const ext = extname(fileURLToPath(import.meta.url));
  for (const name of SCHEMA_MODULES) await add(name, fileURLToPath(new URL(`./${name}${ext}`, import.meta.url)));
  for (const module of modules) await add(module.pathname, fileURLToPath(module));
  return hash.digest('hex').slice(0, 32);
}

/** Writes the new version whole (a reader never sees half a file) and drops the article's older ones. */
async function replaceCached(dir: string, articleId: string, file: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
  const older = (await readdir(dir)).filter((name) => name.startsWith(`${articleId}-`) && join(dir, name) !== file);
  await Promise.all(older.map((name) => rm(join(dir, name), { force: true })));
}
