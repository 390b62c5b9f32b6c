import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContentError } from '../errors.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { foldForQuote } from '../text/fold.ts';
import { ARTICLE_FILE, buildArticleFile, KNOWLEDGE_FILE, SOURCE_FILE, serializeArticleFile, TIPS_FILE } from './build.ts';
import { sha256 } from './ingest.ts';
import { articleDir, loadContent } from './load.ts';
import type { Citation, KnowledgeFile, LocalizedText } from './schema.ts';

export interface ContentProblem {
  file: string;
  field: string;
  message: string;
}

// Scrape noise that must never survive cleaning.
const LEFTOVER_NOISE: ReadonlyArray<[RegExp, string]> = [
  [/\p{Script=Han}[(\uFF08][a-zA-Z\u00C0-\u024F]{1,8}[)\uFF09]/u, 'a pinyin annotation survived cleaning'],
  [/還沒有評論|还没有评论|來說兩句|来说两句/, 'the comment-box footer survived cleaning'],
  [/^[-–—•*]$/, 'a bare bullet line survived cleaning'],
];
// The bot's own voice says China; "我國" belongs only inside quotes.
const FIRST_PERSON_COUNTRY = /我國|我国/;
const REQUIRED_ENTRIES = ['headline', 'summary.short', 'summary.long', 'advice.list'];

/** Every problem with one article's content, each naming file and field. Empty when all is well. */
export async function checkArticle(contentDir: string, articleId: string, convert: ScriptConverter): Promise<ContentProblem[]> {
  const dir = articleDir(contentDir, articleId);
  const problems: ContentProblem[] = [];
  const articleFile = join(dir, ARTICLE_FILE);
  const knowledgeFile = join(dir, KNOWLEDGE_FILE);

  let content: Awaited<ReturnType<typeof loadContent>>;
  try {
    content = await loadContent(contentDir, articleId);
  } catch (error) {
    if (error instanceof ContentError) return [{ file: error.file, field: error.field, message: error.problem }];
    throw error;
  }
  const { article, knowledge } = content;

  const source = await readFile(join(dir, SOURCE_FILE)).catch(() => undefined);
  if (!source) {
    problems.push({ file: join(dir, SOURCE_FILE), field: '(file)', message: 'file not found' });
  } else {
    if (sha256(source) !== article.sourceSha256) {
      problems.push({
        file: articleFile,
        field: 'sourceSha256',
        message: `does not match ${SOURCE_FILE}: run "npm run cli -- content build"`,
      });
    }
    const rebuilt = serializeArticleFile(await buildArticleFile(dir, articleId));
    if (rebuilt !== serializeArticleFile(article)) {
      problems.push({
        file: articleFile,
        field: 'blocks',
        message: `is not what ${SOURCE_FILE} builds: run "npm run cli -- content build"`,
      });
    }
  }

  const blockText = new Map(article.blocks.map((b) => [b.id, b.text]));
  article.blocks.forEach((block, i) => {
    for (const [pattern, message] of LEFTOVER_NOISE) {
      if (pattern.test(block.text)) problems.push({ file: articleFile, field: `blocks.${i}.text (${block.id})`, message });
    }
  });

  const checkCitations = (citations: readonly Citation[], field: string) => {
    citations.forEach((c, i) => {
      const text = blockText.get(c.block);
      if (text === undefined) {
        problems.push({ file: knowledgeFile, field: `${field}.citations.${i}.block`, message: `block "${c.block}" does not exist` });
      } else if (!foldForQuote(text, convert).includes(foldForQuote(c.quote, convert))) {
        problems.push({
          file: knowledgeFile,
          field: `${field}.citations.${i}.quote`,
          message: `not verbatim in block ${c.block}: "${c.quote}"`,
        });
      }
    });
  };
  const checkVoice = (text: LocalizedText, field: string) => {
    for (const lang of ['zh-Hant', 'zh-Hans'] as const) {
      // Quoting the article's 「我國」 is fine; saying it in the bot's own voice is not.
      const ownVoice = text[lang].replace(/「[^」]*」|『[^』]*』|“[^”]*”|"[^"]*"/g, '');
      if (FIRST_PERSON_COUNTRY.test(ownVoice)) {
        problems.push({
          file: knowledgeFile,
          field: `${field}.${lang}`,
          message: "says 我國/我国 in the bot's own voice: write 中國/中国",
        });
      }
    }
  };

  checkCitations(knowledge.summary.short.citations, 'summary.short');
  checkCitations(knowledge.summary.long.citations, 'summary.long');
  checkVoice(knowledge.summary.short.text, 'summary.short.text');
  checkVoice(knowledge.summary.long.text, 'summary.long.text');
  content.tips.forEach((tip, i) => {
    const field = `tips.${i} (${tip.id})`;
    const before = problems.length;
    checkCitations(tip.citations, field);
    checkVoice(tip.text, `${field}.text`);
    // Problems found for a tip belong to tips.yaml, not knowledge.yaml.
    for (const p of problems.slice(before)) p.file = join(dir, TIPS_FILE);
  });
  if (new Set(content.tips.map((t) => t.id)).size !== content.tips.length) {
    problems.push({ file: join(dir, TIPS_FILE), field: 'tips', message: 'duplicate tip id' });
  }
  problems.push(
    ...checkEntries(knowledge, knowledgeFile, article.blocks.filter((b) => b.kind === 'recommendation').length, checkCitations, checkVoice),
  );
  return problems;
}

function checkEntries(
  knowledge: KnowledgeFile,
  file: string,
  recommendationBlocks: number,
  checkCitations: (c: readonly Citation[], field: string) => void,
  checkVoice: (t: LocalizedText, field: string) => void,
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const ids = new Set<string>();
  knowledge.entries.forEach((entry, i) => {
    const field = `entries.${i} (${entry.id})`;
    if (ids.has(entry.id)) problems.push({ file, field: `${field}.id`, message: 'duplicate id' });
    ids.add(entry.id);
    checkCitations(entry.citations, field);
    checkVoice(entry.answer, `${field}.answer`);
  });
  knowledge.entries.forEach((entry, i) => {
    const field = `entries.${i} (${entry.id})`;
    for (const [key, targets] of [
      ['related', entry.related],
      ['why', entry.why ? [entry.why] : []],
      ['more', entry.more ? [entry.more] : []],
    ] as const) {
      for (const target of targets) {
        if (!ids.has(target)) problems.push({ file, field: `${field}.${key}`, message: `entry "${target}" does not exist` });
      }
    }
  });
  for (const id of REQUIRED_ENTRIES) {
    if (!ids.has(id)) problems.push({ file, field: 'entries', message: `required entry "${id}" is missing` });
  }
  const numbers = knowledge.entries
    .filter((e) => e.kind === 'recommendation')
    .map((e) => e.n)
    .sort();
  const expected = Array.from({ length: recommendationBlocks }, (_, i) => i + 1);
  if (numbers.join(',') !== expected.join(',')) {
    problems.push({
      file,
      field: 'entries (recommendations)',
      message: `recommendations numbered ${numbers.join(',') || 'none'}, but the article has ${recommendationBlocks}`,
    });
  }
  return problems;
}
