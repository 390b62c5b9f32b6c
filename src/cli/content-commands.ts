import { writeArticleFile } from '../content/build.ts';
import { checkArticle } from '../content/check.ts';
import { articleDir, listArticles } from '../content/load.ts';
import { createScriptConverter } from '../text/convert.ts';

/** `content build`: regenerates article.json from source.txt for each article (or one). */
export async function contentBuild(contentDir: string, only?: string): Promise<number> {
  const ids = only ? [only] : await listArticles(contentDir);
  for (const id of ids) {
    const article = await writeArticleFile(articleDir(contentDir, id), id);
    const counts: Record<string, number> = {};
    for (const b of article.blocks) counts[b.kind] = (counts[b.kind] ?? 0) + 1;
    process.stdout.write(
      `built ${id}: ${Object.entries(counts)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}\n`,
    );
  }
  return 0;
}

/** `content check`: every problem as "file: field: message"; exit code 1 when there is any. */
export async function contentCheck(contentDir: string, only?: string): Promise<number> {
  const convert = createScriptConverter();
  const ids = only ? [only] : await listArticles(contentDir);
  if (ids.length === 0) {
    process.stderr.write(`content check: no articles under ${contentDir}/articles\n`);
    return 1;
  }
  let problems = 0;
  for (const id of ids) {
    for (const p of await checkArticle(contentDir, id, convert)) {
      problems++;
      process.stderr.write(`${p.file}: ${p.field}: ${p.message}\n`);
    }
  }
  process.stdout.write(problems === 0 ? `content check: ${ids.length} article(s) ok\n` : `content check: ${problems} problem(s)\n`);
  return problems === 0 ? 0 : 1;
}
