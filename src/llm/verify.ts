import type { Content } from '../content/load.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { foldForMatch, foldForQuote } from '../text/fold.ts';
import { detectScript, type Lang } from '../text/script.ts';
import { createVoiceRepair } from './own-voice.ts';
import type { ModelAnswer } from './parse.ts';

export type Verification = { ok: true; answer: ModelAnswer } | { ok: false; reasons: string[] };

const MAX_ANSWER_CHARS = 1200;
const DIGITS = /\d+(?:[.,]\d+)*/g;
const CHINESE_NUMBER = /[零〇一二两三四五六七八九十百千万亿]{2,}|[数几上][十百千万亿]/g;
// Idioms that look like numbers but are not figures (千万别 = "by all means don't").
const NUMBER_IDIOMS = new Set(['千万', '万一', '一一', '一二']);
const DATE_WORDS = /(\d+|[一二三四五六七八九十]{1,3})\s*[年月日号]|去年|今年|前年|明年|昨天|今天|前天|上周|上个月|本月|日前|近日/g;
const ENGLISH_FIGURES =
  /\b(hundreds?|thousands?|millions?|billions?|dozens?|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|last (?:week|month|year))\b/gi;
const URL = /https?:\/\/|www\.|\b[\w-]+\.(?:com|net|org|gov|edu|cn|tw|hk|kh|io|info)\b/i;
const CAPITALISED_NAME = /(?<![.!?]\s|^)\b[A-Z][a-zA-Z'-]+(?:\s+[A-Z][a-zA-Z'-]+)*/g;
const BLOCK_REFERENCE = /\[?\b(?:title|closing|p\d+|rec\d+)\b\]?/g;
// Quoted wording may be in any script; the language of the answer is that of the rest.
const QUOTED = /「[^」]*」|“[^”]*”|"[^"]*"/g;

export interface Verifier {
  verify(answer: ModelAnswer, context: { question: string; lang: Lang }): Verification;
}

/**
 * Checks a model's answer against the article before anyone sees it: citations exist and
 * quote verbatim, and no figure, date, link or name appears that the article does not contain.
 * The question grounds nothing: a figure, link or name that only the question gives is exactly
 * what an injected or false premise ("explain why 5000 were arrested") gets a compliant model
 * to repeat as the article's. Repairs only what is safe to repair (script, and the article's
 * self-references such as 我國 in the bot's own voice, as knowledge.yaml records them).
 */
export function createVerifier(content: Content, convert: ScriptConverter): Verifier {
  const grounds = groundsOf(content, convert);
  const repairVoice = createVoiceRepair(content.knowledge.provenance.selfReferences, content.article.language);

  return {
    verify(answer, { lang }) {
      const prose = answer.answer.replace(BLOCK_REFERENCE, ' ');
      const reasons = [
        ...shapeProblems(answer),
        ...citationProblems(answer, grounds, convert),
        ...figureProblems(prose, grounds, convert),
        ...nameProblems(prose, grounds),
        ...languageProblems(prose, lang, convert),
      ];
      if (reasons.length > 0) return { ok: false, reasons: [...new Set(reasons)] };
      return { ok: true, answer: { ...answer, answer: repairVoice(toScript(answer.answer, lang, convert), lang) } };
    },
  };
}

/** What an answer may rest on: the article, and the project's own English translations of it. */
interface Grounds {
  /** Each block folded for quote matching. */
  quotable: ReadonlyMap<string, string>;
  articleText: string;
  inArticle(token: string): boolean;
  /** The project's English (translations of the article) grounds English names and figures. */
  groundedEnglish: string;
  recommendationCount: number;
  /** Names the article does not give, which a model is prone to add. */
  unsupportedEntities: readonly { name: string; folded: string }[];
  fold(text: string): string;
}

function groundsOf(content: Content, convert: ScriptConverter): Grounds {
  const fold = (t: string) => foldForMatch(t, convert).replace(/\s+/g, '');
  const articleText = content.article.blocks.map((b) => b.text).join('\n');
  const articleFolded = fold(articleText);
  const groundedEnglish = content.knowledge.entries
    .flatMap((e) => [e.answer.en, ...e.questions.en])
    .concat(content.knowledge.summary.long.text.en)
    .join('\n')
    .toLowerCase();
  return {
    quotable: new Map(content.article.blocks.map((b) => [b.id, foldForQuote(b.text, convert)])),
    articleText,
    inArticle: (token) => {
      const folded = fold(token);
      return folded.length > 0 && articleFolded.includes(folded);
    },
    groundedEnglish,
    recommendationCount: content.article.blocks.filter((b) => b.kind === 'recommendation').length,
    unsupportedEntities: content.llm.unsupportedEntities.map((name) => ({ name, folded: fold(name) })),
    fold,
  };
}

function shapeProblems(answer: ModelAnswer): string[] {
  const problems: string[] = [];
  if (answer.answer.length > MAX_ANSWER_CHARS) problems.push(`answer longer than ${MAX_ANSWER_CHARS} characters`);
  if (answer.status === 'answered' && answer.citations.length === 0) problems.push('an answer without a citation');
  return problems;
}

function citationProblems(answer: ModelAnswer, grounds: Grounds, convert: ScriptConverter): string[] {
  return answer.citations.flatMap((c) => {
    const block = grounds.quotable.get(c.block);
    if (block === undefined) return [`cites missing block "${c.block}"`];
    if (!block.includes(foldForQuote(c.quote, convert))) return [`quote not verbatim in ${c.block}: "${c.quote.slice(0, 60)}"`];
    return [];
  });
}

/** Figures, dates and links the article does not give. Small numbers may count its recommendations. */
function figureProblems(prose: string, grounds: Grounds, convert: ScriptConverter): string[] {
  const problems: string[] = [];
  const simplified = convert.toSimplified(prose);
  for (const [n] of prose.matchAll(DIGITS)) {
    const small = /^\d$/.test(n) && Number(n) >= 1 && Number(n) <= grounds.recommendationCount;
    if (!small && !grounds.inArticle(n)) problems.push(`number not in the article: ${n}`);
  }
  for (const [n] of simplified.matchAll(CHINESE_NUMBER)) {
    if (!NUMBER_IDIOMS.has(n) && !grounds.inArticle(n)) problems.push(`figure not in the article: ${n}`);
  }
  for (const [d] of simplified.matchAll(DATE_WORDS)) if (!grounds.inArticle(d)) problems.push(`date not in the article: ${d}`);
  for (const [w] of prose.matchAll(ENGLISH_FIGURES)) {
    if (!grounds.groundedEnglish.includes(w.toLowerCase())) problems.push(`figure or date not in the article: ${w}`);
  }
  if (URL.test(prose) && !URL.test(grounds.articleText)) problems.push('a link the article does not give');
  return problems;
}

function nameProblems(prose: string, grounds: Grounds): string[] {
  const problems: string[] = [];
  const answerFolded = grounds.fold(prose);
  for (const e of grounds.unsupportedEntities) {
    if (e.folded && answerFolded.includes(e.folded)) problems.push(`names "${e.name}", which the article does not`);
  }
  for (const [name] of prose.matchAll(CAPITALISED_NAME)) {
    if (!grounds.groundedEnglish.includes(name.toLowerCase())) problems.push(`names "${name}", which the article does not`);
  }
  return problems;
}

function languageProblems(prose: string, lang: Lang, convert: ScriptConverter): string[] {
  const script = detectScript(prose.replace(QUOTED, ''), convert);
  if (lang === 'en' && script.script !== 'latin' && script.lang !== 'en') return ['not written in English'];
  if (lang !== 'en' && script.script === 'latin') return [`not written in ${lang}`];
  return [];
}

function toScript(text: string, lang: Lang, convert: ScriptConverter): string {
  return lang === 'en' ? text : convert.toLang(text, lang);
}
