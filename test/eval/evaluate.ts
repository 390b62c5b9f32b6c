import { readFileSync } from 'node:fs';
import { load as parse } from 'js-yaml';
import { z } from 'zod';
import { renderText } from '../../src/cli/render-text.ts';
import type { Core } from '../../src/core/core.ts';
import type { Reply, ReplyKind } from '../../src/protocol/reply.ts';
import type { ScriptConverter } from '../../src/text/convert.ts';
import { foldForMatch } from '../../src/text/fold.ts';
import { detectScript, LANGS } from '../../src/text/script.ts';

const KINDS = ['answer', 'not_in_article', 'out_of_scope', 'refused', 'clarify'] as const;
export const CATEGORIES = ['fact', 'recommendation', 'unanswerable', 'false_premise', 'out_of_scope', 'hostile', 'unclear'] as const;

const itemSchema = z.strictObject({
  id: z.string(),
  category: z.enum(CATEGORIES),
  lang: z.enum(LANGS),
  /** How it is asked (casual, regional, rambling, two_questions, yes_no…): reported separately. */
  style: z.string().optional(),
  text: z.string(),
  expect: z.strictObject({
    kind: z.union([z.enum(KINDS), z.array(z.enum(KINDS))]).transform((k) => (Array.isArray(k) ? k : [k])),
    blocks: z.array(z.string()).optional(),
    mustInclude: z.array(z.string()).optional(),
    mustNotInclude: z.array(z.string()).optional(),
    noNewNumbers: z.boolean().optional(),
  }),
});
export type EvalItem = z.infer<typeof itemSchema>;

export function loadEvalItems(file = 'test/eval/questions.yaml'): EvalItem[] {
  return z.array(itemSchema).parse(parse(readFileSync(file, 'utf8')));
}

/** Numbers that describe the article's structure, not invented facts: its four recommendations, 1 to 4. */
const ARTICLE_STRUCTURE_NUMBERS = new Set(['1', '2', '3', '4']);

export interface EvalResult {
  item: EvalItem;
  reply: Reply;
  failures: string[];
  trace?: string;
}

/** Checks one reply against its expectation; returns what is wrong, empty when it passes. */
export function judge(item: EvalItem, reply: Reply, articleText: string, convert: ScriptConverter): string[] {
  const failures: string[] = [];
  const text = renderText(reply);
  const folded = foldForMatch(text, convert);
  if (!item.expect.kind.includes(reply.kind as (typeof KINDS)[number]))
    failures.push(`kind ${reply.kind}, expected ${item.expect.kind.join('|')}`);
  // Input with no words has no language of its own, and Chinese made only of characters both
  // scripts share (柬埔寨警方) has no script of its own: either script is right then.
  const script = detectScript(item.text, convert);
  const chineseEitherScript = script.han > 0 && script.lang === undefined && reply.lang !== 'en' && item.lang !== 'en';
  if (item.category !== 'unclear' && reply.lang !== item.lang && !chineseEitherScript)
    failures.push(`lang ${reply.lang}, expected ${item.lang}`);
  if (reply.kind === 'answer' && reply.citations.length === 0) failures.push('an answer without a citation');
  const blocks = item.expect.blocks;
  if (blocks && reply.kind === 'answer' && !reply.citations.some((c) => blocks.includes(c.block))) {
    failures.push(`cites ${reply.citations.map((c) => c.block).join(',') || 'nothing'}, expected one of ${blocks.join(',')}`);
  }
  for (const s of item.expect.mustInclude ?? []) if (!folded.includes(foldForMatch(s, convert))) failures.push(`missing "${s}"`);
  for (const s of item.expect.mustNotInclude ?? []) if (folded.includes(foldForMatch(s, convert))) failures.push(`contains "${s}"`);
  if (item.expect.noNewNumbers) {
    // Block ids such as [p3] or [rec2] are references, not figures.
    const prose = text.replace(/\[(?:title|p\d+|rec\d+|closing\d*)\]/g, '').replace(/^\d+\. /gm, '');
    for (const [n] of prose.matchAll(/\d+/g))
      if (!item.text.includes(n) && !articleText.includes(n) && !ARTICLE_STRUCTURE_NUMBERS.has(n)) failures.push(`invents the number ${n}`);
  }
  return failures;
}

export async function evaluate(
  core: Core,
  items: readonly EvalItem[],
  articleText: string,
  convert: ScriptConverter,
): Promise<EvalResult[]> {
  const results: EvalResult[] = [];
  for (const [i, item] of items.entries()) {
    const reply = await core.handle({ platform: 'cli', chatId: `eval-${i}`, userId: 'eval', chatType: 'private', text: item.text });
    const trace = core.answerer.answer({ text: item.text, lang: reply.lang });
    results.push({
      item,
      reply,
      failures: judge(item, reply, articleText, convert),
      trace: `${trace.rule} ${trace.score.toFixed(2)}${trace.considered ? ` ${trace.considered.join(' ')}` : ''}`,
    });
  }
  return results;
}

export interface Tally {
  passed: number;
  count: number;
  rate: number;
}

export interface EvalSummary {
  total: Tally;
  byCategory: Record<string, Tally>;
  byLang: Record<string, Tally>;
  byStyle: Record<string, Tally>;
  /** Replies of kind `answer` that fail their checks: a confident answer to something else, the worst outcome. */
  confidentWrong: { count: number; rate: number };
}

export function summarize(results: readonly EvalResult[]): EvalSummary {
  const tally = (list: readonly EvalResult[]) => {
    const passed = list.filter((r) => r.failures.length === 0).length;
    return { passed, count: list.length, rate: list.length === 0 ? 1 : passed / list.length };
  };
  const group = (key: (r: EvalResult) => string) => {
    const groups = new Map<string, EvalResult[]>();
    for (const r of results) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
    return Object.fromEntries([...groups].map(([k, list]) => [k, tally(list)]));
  };
  const confidentWrong = results.filter((r) => r.reply.kind === 'answer' && r.failures.length > 0).length;
  return {
    total: tally(results),
    byCategory: group((r) => r.item.category),
    byLang: group((r) => r.item.lang),
    byStyle: group((r) => r.item.style ?? 'unmarked'),
    confidentWrong: { count: confidentWrong, rate: results.length === 0 ? 0 : confidentWrong / results.length },
  };
}

export type { ReplyKind };
