import { createHash } from 'node:crypto';

/**
 * Turns the scraped article into clean, citable blocks. Pure: the same source always
 * gives the same blocks, so `content check` can prove the committed article.json is current.
 */

export type BlockKind = 'title' | 'paragraph' | 'recommendation' | 'closing';

export interface ArticleBlock {
  id: string;
  kind: BlockKind;
  text: string;
}

export interface CleanArticle {
  sourceSha256: string;
  blocks: ArticleBlock[];
}

// A reading in parentheses right after a Chinese character, e.g. 區(qū), left by a converter.
const PINYIN_ANNOTATION = /(?<=\p{Script=Han})[(\uFF08][a-zA-Z\u00C0-\u024F]{1,8}[)\uFF09]/gu;
// The site's comment box ("no comments yet, say something…"), in either script.
const COMMENT_FOOTER = /^(還沒有評論|还没有评论|暫無評論|暂无评论)/;
const BULLET = /^[-–—•*]$/;
const ASCII_TO_CJK_PUNCTUATION: Record<string, string> = { ',': '\uFF0C', ':': '\uFF1A', ';': '\uFF1B', '?': '\uFF1F', '!': '\uFF01' };

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function stripAnnotations(line: string): string {
  return line.replace(PINYIN_ANNOTATION, '');
}

/** Chinese text uses full-width punctuation; the scrape has ASCII commas and colons. */
export function normalizePunctuation(line: string): string {
  return line.replace(
    /[,:;?!](?=\p{Script=Han}|[\u201C\u300C]|$)|(?<=\p{Script=Han}|[\u3002\u201D\u300D])[,:;?!]/gu,
    (p) => ASCII_TO_CJK_PUNCTUATION[p] ?? p,
  );
}

export function cleanLine(line: string): string {
  return normalizePunctuation(stripAnnotations(line.normalize('NFC')).trim());
}

export function ingestArticle(source: string): CleanArticle {
  const lines = source
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map(cleanLine)
    .filter((line) => line.length > 0 && !COMMENT_FOOTER.test(line));

  const blocks: ArticleBlock[] = [];
  let paragraphs = 0;
  let recommendations = 0;
  let closings = 0;
  let nextIsRecommendation = false;
  for (const line of lines) {
    if (BULLET.test(line)) {
      nextIsRecommendation = true;
      continue;
    }
    if (blocks.length === 0) {
      blocks.push({ id: 'title', kind: 'title', text: line });
    } else if (nextIsRecommendation) {
      recommendations++;
      blocks.push({ id: `rec${recommendations}`, kind: 'recommendation', text: line });
    } else if (recommendations > 0) {
      closings++;
      blocks.push({ id: closings === 1 ? 'closing' : `closing${closings}`, kind: 'closing', text: line });
    } else {
      paragraphs++;
      blocks.push({ id: `p${paragraphs}`, kind: 'paragraph', text: line });
    }
    nextIsRecommendation = false;
  }
  return { sourceSha256: sha256(source), blocks };
}
