import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContentError } from '../errors.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { foldForQuote } from '../text/fold.ts';
import { escapeRegExp } from '../text/regexp.ts';
import { ARTICLE_FILE, buildArticleFile, KNOWLEDGE_FILE, SOURCE_FILE, serializeArticleFile, TIPS_FILE } from './build.ts';
import { sha256 } from './ingest.ts';
import { articleDir, type Content, loadContent } from './load.ts';
import type { ArticleFile, Citation, KnowledgeFile, LocalizedText, SelfReference, Tip } from './schema.ts';

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
// Quoting the article's 「我國」 is fine; saying it in the bot's own voice is not.
const QUOTED = /「[^」]*」|『[^』]*』|“[^”]*”|"[^"]*"/g;
const REQUIRED_ENTRIES = ['headline', 'summary.short', 'summary.long', 'advice.list'];

interface ArticleFiles {
  articleId: string;
  dir: string;
  article: string;
  knowledge: string;
  tips: string;
  source: string;
}

/** The checks every hand-written text with citations gets; each problem names the given file. */
interface TextChecks {
  citations(citations: readonly Citation[], file: string, field: string): ContentProblem[];
  ownVoice(text: LocalizedText, file: string, field: string): ContentProblem[];
}

/** Every problem with one article's content, each naming file and field. Empty when all is well. */
export async function checkArticle(contentDir: string, articleId: string, convert: ScriptConverter): Promise<ContentProblem[]> {
  const dir = articleDir(contentDir, articleId);
  const files: ArticleFiles = {
    articleId,
    dir,
    article: join(dir, ARTICLE_FILE),
    knowledge: join(dir, KNOWLEDGE_FILE),
    tips: join(dir, TIPS_FILE),
    source: join(dir, SOURCE_FILE),
  };
  let content: Content;
  try {
    content = await loadContent(contentDir, articleId);
  } catch (error) {
    if (error instanceof ContentError) return [{ file: error.file, field: error.field, message: error.problem }];
    throw error;
  }
  const checks = createTextChecks(content, convert);
  return [
    ...(await checkSource(content.article, files)),
    ...checkLeftoverNoise(content.article, files.article),
    ...checkSummaries(content.knowledge, files.knowledge, checks),
    ...checkTips(content.tips, files.tips, checks),
    ...checkEntries(content.knowledge, files.knowledge, checks),
    ...checkEntryLinks(content.knowledge, files.knowledge),
    ...checkRecommendationNumbers(content, files.knowledge),
  ];
}

/** article.json is what source.txt builds, and source.txt is the one it was built from. */
async function checkSource(article: ArticleFile, files: ArticleFiles): Promise<ContentProblem[]> {
  const source = await readFile(files.source).catch(() => undefined);
  if (!source) return [{ file: files.source, field: '(file)', message: 'file not found' }];
  const problems: ContentProblem[] = [];
  if (sha256(source) !== article.sourceSha256) {
    problems.push({
      file: files.article,
      field: 'sourceSha256',
      message: `does not match ${SOURCE_FILE}: run "npm run cli -- content build"`,
    });
  }
  const rebuilt = serializeArticleFile(await buildArticleFile(files.dir, files.articleId));
  if (rebuilt !== serializeArticleFile(article)) {
    problems.push({
      file: files.article,
      field: 'blocks',
      message: `is not what ${SOURCE_FILE} builds: run "npm run cli -- content build"`,
    });
  }
  return problems;
}

function checkLeftoverNoise(article: ArticleFile, file: string): ContentProblem[] {
  return article.blocks.flatMap((block, i) =>
    LEFTOVER_NOISE.filter(([pattern]) => pattern.test(block.text)).map(([, message]) => ({
      file,
      field: `blocks.${i}.text (${block.id})`,
      message,
    })),
  );
}

function createTextChecks(content: Content, convert: ScriptConverter): TextChecks {
  const blockText = new Map(content.article.blocks.map((b) => [b.id, b.text]));
  const selfReferences = content.knowledge.provenance.selfReferences.map(ownVoiceRule);
  return {
    citations: (citations, file, field) =>
      citations.flatMap((c, i): ContentProblem[] => {
        const text = blockText.get(c.block);
        if (text === undefined) return [{ file, field: `${field}.citations.${i}.block`, message: `block "${c.block}" does not exist` }];
        if (foldForQuote(text, convert).includes(foldForQuote(c.quote, convert))) return [];
        return [{ file, field: `${field}.citations.${i}.quote`, message: `not verbatim in block ${c.block}: "${c.quote}"` }];
      }),
    ownVoice: (text, file, field) =>
      (['zh-Hant', 'zh-Hans'] as const).flatMap((lang) => {
        const ownVoice = text[lang].replace(QUOTED, '');
        return selfReferences
          .filter((rule) => rule.pattern.test(ownVoice))
          .map((rule) => ({ file, field: `${field}.${lang}`, message: rule.message }));
      }),
  };
}

/** The article's Chinese self-references (knowledge.yaml provenance.selfReferences), as a rule for the bot's own texts. */
function ownVoiceRule(reference: SelfReference): { pattern: RegExp; message: string } {
  const words = [...new Set([...reference.says['zh-Hant'], ...reference.says['zh-Hans']])];
  const meanings = [...new Set([reference.means['zh-Hant'], reference.means['zh-Hans']])];
  return {
    pattern: new RegExp(words.map(escapeRegExp).join('|')),
    message: `says ${words.join('/')} in the bot's own voice: write ${meanings.join('/')}`,
  };
}

function checkSummaries(knowledge: KnowledgeFile, file: string, checks: TextChecks): ContentProblem[] {
  const { short, long } = knowledge.summary;
  return [
    ...checks.citations(short.citations, file, 'summary.short'),
    ...checks.citations(long.citations, file, 'summary.long'),
    ...checks.ownVoice(short.text, file, 'summary.short.text'),
    ...checks.ownVoice(long.text, file, 'summary.long.text'),
  ];
}

function checkTips(tips: readonly Tip[], file: string, checks: TextChecks): ContentProblem[] {
  const problems = tips.flatMap((tip, i) => {
    const field = `tips.${i} (${tip.id})`;
    return [...checks.citations(tip.citations, file, field), ...checks.ownVoice(tip.text, file, `${field}.text`)];
  });
  if (new Set(tips.map((t) => t.id)).size !== tips.length) problems.push({ file, field: 'tips', message: 'duplicate tip id' });
  return problems;
}

function checkEntries(knowledge: KnowledgeFile, file: string, checks: TextChecks): ContentProblem[] {
  const ids = new Set<string>();
  return knowledge.entries.flatMap((entry, i) => {
    const field = `entries.${i} (${entry.id})`;
    const duplicate = ids.has(entry.id) ? [{ file, field: `${field}.id`, message: 'duplicate id' }] : [];
    ids.add(entry.id);
    return [...duplicate, ...checks.citations(entry.citations, file, field), ...checks.ownVoice(entry.answer, file, `${field}.answer`)];
  });
}

/** Follow-ups (related, why, more) point at entries that exist, and the required entries exist. */
function checkEntryLinks(knowledge: KnowledgeFile, file: string): ContentProblem[] {
  const ids = new Set(knowledge.entries.map((e) => e.id));
  const problems = knowledge.entries.flatMap((entry, i) => {
    const field = `entries.${i} (${entry.id})`;
    const links = [
      ['related', entry.related],
      ['why', entry.why ? [entry.why] : []],
      ['more', entry.more ? [entry.more] : []],
    ] as const;
    return links.flatMap(([key, targets]) =>
      targets
        .filter((target) => !ids.has(target))
        .map((target) => ({ file, field: `${field}.${key}`, message: `entry "${target}" does not exist` })),
    );
  });
  for (const id of REQUIRED_ENTRIES) {
    if (!ids.has(id)) problems.push({ file, field: 'entries', message: `required entry "${id}" is missing` });
  }
  return problems;
}

/** Recommendation entries are numbered 1…n, one for each recommendation block of the article. */
function checkRecommendationNumbers(content: Content, file: string): ContentProblem[] {
  const recommendationBlocks = content.article.blocks.filter((b) => b.kind === 'recommendation').length;
  const numbers = content.knowledge.entries
    .filter((e) => e.kind === 'recommendation')
    .map((e) => e.n)
    .sort();
  const expected = Array.from({ length: recommendationBlocks }, (_, i) => i + 1);
  if (numbers.join(',') === expected.join(',')) return [];
  return [
    {
      file,
      field: 'entries (recommendations)',
      message: `recommendations numbered ${numbers.join(',') || 'none'}, but the article has ${recommendationBlocks}`,
    },
  ];
}
