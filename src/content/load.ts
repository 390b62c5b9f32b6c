import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import type { z } from 'zod';
import { ContentError } from '../errors.ts';
import { ARTICLE_FILE, KNOWLEDGE_FILE, TIPS_FILE } from './build.ts';
import { type LanguageData, languageFileSchema } from './language-schema.ts';
import { type LlmContent, llmFileSchema } from './llm-schema.ts';
import { type ArticleFile, articleFileSchema, type KnowledgeFile, knowledgeFileSchema, type Tip, tipsFileSchema } from './schema.ts';
import { type UiStrings, uiFileSchema } from './ui-schema.ts';

export const UI_FILE = 'ui.yaml';
export const LLM_FILE = 'llm.yaml';
export const LANGUAGE_FILE = 'language.yaml';

export interface Content {
  article: ArticleFile;
  knowledge: KnowledgeFile;
  ui: UiStrings;
  llm: LlmContent;
  /** How people ask (variants, kinds of question), shared by every article. */
  language: LanguageData;
  /** Scheduled reminders; an article without tips.yaml simply has none. */
  tips: Tip[];
}

export function articleDir(contentDir: string, articleId: string): string {
  return join(contentDir, 'articles', articleId);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ContentError(file, code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? 'error'})`, { cause: error });
  }
}

/** The first schema issue as a dotted field path and a message. */
export function describeIssue(issues: readonly z.core.$ZodIssue[]): { field: string; message: string } {
  const issue = issues[0];
  if (!issue) return { field: '(file)', message: 'invalid' };
  return { field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)', message: issue.message };
}

export async function readValidated<S extends z.ZodType>(file: string, schema: S, format: 'json' | 'yaml'): Promise<z.infer<S>> {
  const text = await readText(file);
  let data: unknown;
  try {
    data = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ContentError(file, `not valid ${format.toUpperCase()}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const { field, message } = describeIssue(result.error.issues);
    throw new ContentError(file, message, { field });
  }
  return result.data;
}

/** Loads and schema-validates one article's content plus the shared UI strings. */
export async function loadContent(contentDir: string, articleId: string): Promise<Content> {
  const dir = articleDir(contentDir, articleId);
  const known = await listArticles(contentDir);
  if (!known.includes(articleId)) {
    throw new ContentError(dir, `unknown article "${articleId}" (available: ${known.join(', ') || 'none'})`);
  }
  const tipsFile = join(dir, TIPS_FILE);
  const [article, knowledge, ui, llm, language, tips] = await Promise.all([
    readValidated(join(dir, ARTICLE_FILE), articleFileSchema, 'json'),
    readValidated(join(dir, KNOWLEDGE_FILE), knowledgeFileSchema, 'yaml'),
    readValidated(join(contentDir, UI_FILE), uiFileSchema, 'yaml'),
    readValidated(join(contentDir, LLM_FILE), llmFileSchema, 'yaml'),
    readValidated(join(contentDir, LANGUAGE_FILE), languageFileSchema, 'yaml'),
    existsSync(tipsFile) ? readValidated(tipsFile, tipsFileSchema, 'yaml') : undefined,
  ]);
  if (knowledge.article !== article.id) {
    throw new ContentError(join(dir, KNOWLEDGE_FILE), `"${knowledge.article}" does not match the folder's article "${article.id}"`, {
      field: 'article',
    });
  }
  if (tips && tips.article !== article.id) {
    throw new ContentError(tipsFile, `"${tips.article}" does not match the folder's article "${article.id}"`, { field: 'article' });
  }
  return { article, knowledge, ui, llm, language, tips: tips?.tips ?? [] };
}

export async function listArticles(contentDir: string): Promise<string[]> {
  try {
    const entries = await readdir(join(contentDir, 'articles'), { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
