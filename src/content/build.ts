import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ingestArticle } from './ingest.ts';
import { type ArticleFile, articleFileSchema } from './schema.ts';

export const ARTICLE_FILE = 'article.json';
export const SOURCE_FILE = 'source.txt';
export const KNOWLEDGE_FILE = 'knowledge.yaml';
export const TIPS_FILE = 'tips.yaml';

/** What `content build` writes for one article folder: the cleaned blocks as stable JSON. */
export async function buildArticleFile(articleDir: string, id: string): Promise<ArticleFile> {
  const source = await readFile(join(articleDir, SOURCE_FILE), 'utf8');
  const { sourceSha256, blocks } = ingestArticle(source);
  return articleFileSchema.parse({ id, language: 'zh-Hant', sourceSha256, blocks });
}

export function serializeArticleFile(article: ArticleFile): string {
  return `${JSON.stringify(article, null, 2)}\n`;
}

export async function writeArticleFile(articleDir: string, id: string): Promise<ArticleFile> {
  const article = await buildArticleFile(articleDir, id);
  await writeFile(join(articleDir, ARTICLE_FILE), serializeArticleFile(article));
  return article;
}
