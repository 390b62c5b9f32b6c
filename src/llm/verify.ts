import type { Content } from '../content/load.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { foldForMatch, foldForQuote } from '../text/fold.ts';
import { detectScript, type Lang } from '../text/script.ts';
import type { ModelAnswer } from './parse.ts';

export type Verification = { ok: true; answer: ModelAnswer } | { ok: false; reasons: string[] };

const MAX_ANSWER_CHARS = 1200;
const CHINESE_NUMBER = /[零〇一二两三四五六七八九十百千万亿]{2,}|[数几上][十百千万亿]/g;
// Idioms that look like numbers but are not figures (千万别 = "by all means don't").
const NUMBER_IDIOMS = new Set(['千万', '万一', '一一', '一二']);
const DATE_WORDS = /(\d+|[一二三四五六七八九十]{1,3})\s*[年月日号]|去年|今年|前年|明年|昨天|今天|前天|上周|上个月|本月|日前|近日/g;
const ENGLISH_FIGURES =
  /\b(hundreds?|thousands?|millions?|billions?|dozens?|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|last (?:week|month|year))\b/gi;
const URL = /https?:\/\/|www\.|\b[\w-]+\.(?:com|net|org|gov|edu|cn|tw|hk|kh|io|info)\b/i;
const CAPITALISED_NAME = /(?<![.!?]\s|^)\b[A-Z][a-zA-Z'-]+(?:\s+[A-Z][a-zA-Z'-]+)*/g;
const BLOCK_REFERENCE = /\[?\b(?:title|closing|p\d+|rec\d+)\b\]?/g;

export interface Verifier {
  verify(answer: ModelAnswer, context: { question: string; lang: Lang }): Verification;
}

/**
 * Checks a model's answer against the article before anyone sees it: citations exist and
 * quote verbatim, and no figure, date, link or name appears that the article does not contain.
 * The question grounds nothing: a figure, link or name that only the question gives is exactly
 * what an injected or false premise ("explain why 5000 were arrested") gets a compliant model
 * to repeat as the article's. Repairs only what is safe to repair (script, 我國 in its own voice).
 */
export function createVerifier(content: Content, convert: ScriptConverter): Verifier {
  const fold = (t: string) => foldForMatch(t, convert);
  const blocks = new Map(content.article.blocks.map((b) => [b.id, foldForQuote(b.text, convert)]));
  const articleText = content.article.blocks.map((b) => b.text).join('\n');
  const articleFolded = fold(articleText).replace(/\s+/g, '');
  // The project's own English (translations of the article) grounds English names and figures.
  const grounded = content.knowledge.entries
    .flatMap((e) => [e.answer.en, ...e.questions.en])
    .concat(content.knowledge.summary.long.text.en);
  const groundedEnglish = grounded.join('\n').toLowerCase();
  const recommendationCount = content.article.blocks.filter((b) => b.kind === 'recommendation').length;
  const entities = content.llm.unsupportedEntities.map((name) => ({ name, folded: fold(name).replace(/\s+/g, '') }));

  return {
    verify(answer, { lang }) {
      const reasons: string[] = [];
      const inSource = (token: string) => {
        const f = fold(token).replace(/\s+/g, '');
        return f.length > 0 && articleFolded.includes(f);
      };

      if (answer.answer.length > MAX_ANSWER_CHARS) reasons.push(`answer longer than ${MAX_ANSWER_CHARS} characters`);
      if (answer.status === 'answered' && answer.citations.length === 0) reasons.push('an answer without a citation');
      for (const c of answer.citations) {
        const block = blocks.get(c.block);
        if (block === undefined) reasons.push(`cites missing block "${c.block}"`);
        else if (!block.includes(foldForQuote(c.quote, convert)))
          reasons.push(`quote not verbatim in ${c.block}: "${c.quote.slice(0, 60)}"`);
      }

      const prose = answer.answer.replace(BLOCK_REFERENCE, ' ');
      const simplified = convert.toSimplified(prose);
      for (const [n] of prose.matchAll(/\d+(?:[.,]\d+)*/g)) {
        const small = /^\d$/.test(n) && Number(n) >= 1 && Number(n) <= recommendationCount;
        if (!small && !inSource(n)) reasons.push(`number not in the article: ${n}`);
      }
      for (const [n] of simplified.matchAll(CHINESE_NUMBER)) {
        if (!NUMBER_IDIOMS.has(n) && !inSource(n)) reasons.push(`figure not in the article: ${n}`);
      }
      for (const [d] of simplified.matchAll(DATE_WORDS)) if (!inSource(d)) reasons.push(`date not in the article: ${d}`);
      for (const [w] of prose.matchAll(ENGLISH_FIGURES)) {
        if (!groundedEnglish.includes(w.toLowerCase())) reasons.push(`figure or date not in the article: ${w}`);
      }
      if (URL.test(prose) && !URL.test(articleText)) reasons.push('a link the article does not give');
      const answerFolded = fold(prose).replace(/\s+/g, '');
      for (const e of entities) {
        if (e.folded && answerFolded.includes(e.folded)) reasons.push(`names "${e.name}", which the article does not`);
      }
      for (const [name] of prose.matchAll(CAPITALISED_NAME)) {
        const lower = name.toLowerCase();
        if (!groundedEnglish.includes(lower)) reasons.push(`names "${name}", which the article does not`);
      }

      const script = detectScript(prose.replace(/「[^」]*」|“[^”]*”|"[^"]*"/g, ''), convert);
      if (lang === 'en' && script.script !== 'latin' && script.lang !== 'en') reasons.push('not written in English');
      if (lang !== 'en' && script.script === 'latin') reasons.push(`not written in ${lang}`);
      if (reasons.length > 0) return { ok: false, reasons: [...new Set(reasons)] };
      return { ok: true, answer: { ...answer, answer: repairVoice(toScript(answer.answer, lang, convert), lang) } };
    },
  };
}

function toScript(text: string, lang: Lang, convert: ScriptConverter): string {
  return lang === 'en' ? text : convert.toLang(text, lang);
}

/** The bot's own voice says China; 「我國」 inside quotation marks stays as the article wrote it. */
function repairVoice(text: string, lang: Lang): string {
  const replacement = lang === 'zh-Hans' ? '中国' : '中國';
  return text.replace(/(「[^」]*」|“[^”]*”|"[^"]*")|我國|我国|\b[Oo]ur country\b/g, (whole, quoted: string | undefined) =>
    quoted ? whole : /our country/i.test(whole) ? 'China' : replacement,
  );
}
