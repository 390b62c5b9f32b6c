import { escapeRegExp } from '../text/regexp.ts';

/**
 * Cues read from a folded question (Simplified, lower case, no punctuation): which
 * recommendation it names, whether it is a bare follow-up, and trigger phrases.
 */

const ZH_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const EN_ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  '1st': 1,
  '2nd': 2,
  '3rd': 3,
  '4th': 4,
  '5th': 5,
  '6th': 6,
  '7th': 7,
  '8th': 8,
  '9th': 9,
  '10th': 10,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

function zhNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (text.length === 1) return ZH_DIGITS[text];
  if (text.length === 2 && text[0] === '十') return 10 + (ZH_DIGITS[text[1] as string] ?? 0);
  return undefined;
}

const ADVICE_WORD_ZH = /建议|建言|措施|对策|条|项|点/;
const ADVICE_WORD_EN = /\b(recommendations?|suggestions?|advice|tips?|points?|measures?|proposals?)\b/;

export interface OrdinalCue {
  n: number;
  /** The text also names recommendations ("第三條建議"), not only a bare ordinal ("第三個"). */
  namesAdvice: boolean;
  /** "the last one": resolved against the number of recommendations. */
  last?: boolean;
}

/** The recommendation number a question points at, if any. */
export function findOrdinal(folded: string): OrdinalCue | undefined {
  const zh = /第\s*([一二两三四五六七八九十]{1,2}|\d{1,2})\s*(条|项|点|个|则)?/.exec(folded);
  if (zh) {
    const n = zhNumber(zh[1] as string);
    if (n !== undefined) return { n, namesAdvice: Boolean(zh[2]) || ADVICE_WORD_ZH.test(folded) };
  }
  const zhAfter =
    /(?:建议|建言)\s*([一二三四五六七八九十]|\d{1,2})(?![\d十])/.exec(folded) ??
    /([一二三四五六七八九十]|\d{1,2})\s*号?\s*建议/.exec(folded);
  if (zhAfter) {
    const n = zhNumber(zhAfter[1] as string);
    if (n !== undefined && !/[几多]/.test(zhAfter[0])) return { n, namesAdvice: true };
  }
  if (/最后一(条|项|点|个)/.test(folded)) return { n: 0, namesAdvice: true, last: true };
  const enAfter =
    /\b(?:recommendation|suggestion|advice|tip|point|measure|proposal|item|number|no|#)\s*#?\s*(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\b/.exec(
      folded,
    );
  if (enAfter) return { n: EN_ORDINALS[enAfter[1] as string] ?? Number(enAfter[1]), namesAdvice: true };
  const en = /\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|1st|2nd|3rd|4th|5th|6th|7th|8th|9th|10th|last)\b/.exec(
    folded,
  );
  if (en) {
    const word = en[1] as string;
    const namesAdvice = ADVICE_WORD_EN.test(folded);
    if (word === 'last') return namesAdvice ? { n: 0, namesAdvice, last: true } : undefined;
    return { n: EN_ORDINALS[word] as number, namesAdvice };
  }
  return undefined;
}

const EN_COUNTS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
// Up to two words between the number and the noun: "the four anti fraud recommendations".
const EN_ADVICE_NOUN = '(?:[a-z]+\\s+){0,2}(?:recommendations|suggestions|tips|measures|proposals|pieces of advice)\\b';
const EN_HOW_MANY_ADVICE = new RegExp(`\\bhow many\\s+${EN_ADVICE_NOUN}`);
const EN_ADVICE_COUNT = new RegExp(`\\b(two|three|four|five|six|seven|eight|nine|ten|\\d{1,2})\\s+${EN_ADVICE_NOUN}`);

/**
 * How many recommendations a question counts ("文章的四條建議", "the four recommendations"):
 * a number before the advice word without 第 is a count, not "the fourth" — such a question
 * asks for the whole list. 0: it asks how many there are ("几条建议", "how many recommendations").
 */
export function findAdviceCount(folded: string): number | undefined {
  const zh =
    /(?<!第\s*)([两二三四五六七八九十]|\d{1,2}|几多|几|多少)\s*(?:条|项|点|个|大)\s*(?:反诈|防诈|反诈骗|防诈骗)?\s*(?:建议|建言|对策|措施)/.exec(
      folded,
    );
  if (zh) return /几|多少/.test(zh[1] as string) ? 0 : zhNumber((zh[1] as string).replace('两', '二'));
  if (EN_HOW_MANY_ADVICE.test(folded)) return 0;
  const en = EN_ADVICE_COUNT.exec(folded);
  if (en) return EN_COUNTS[en[1] as string] ?? Number(en[1]);
  return undefined;
}

const EN_THINGS_COUNT =
  /\b(two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?:[a-z]+\s+)?(?:things|points|steps|ideas|items|ways)\b/;
const ZH_THINGS_COUNT = /(?<!第\s*)([两二三四五六七八九十]|\d{1,2})\s*(?:件事|点|个方面|样|条)/;

/**
 * A count of things in a question that already asks for advice ("the 4 things China says should
 * be done", "要做的四件事"): the recommendations, counted loosely. Read only alongside the advice kind.
 */
export function findThingsCount(folded: string): number | undefined {
  const zh = ZH_THINGS_COUNT.exec(folded);
  if (zh) return zhNumber((zh[1] as string).replace('两', '二'));
  const en = EN_THINGS_COUNT.exec(folded);
  if (en) return EN_COUNTS[en[1] as string] ?? Number(en[1]);
  return undefined;
}

const WHY =
  /^(那|那么|所以|and|so|but)?\s*(为什么|为何|为啥|怎么会|什么原因|原因呢?|原因是什么|why|why so|how come|why is that|for what reason)\s*(呢|啊|吗)?$/;
const MORE =
  /^(那|and|so|ok|okay|好)?\s*(tell me more|more|more details?|more please|go on|continue|elaborate|explain more|in detail|details|详细|详细点|详细一点|详细说说|多说一点|多说点|再多说|说详细|展开说说|展开|继续|还有呢|然后呢|还有吗|具体说说|具体点|具体一点)\s*(呢|吧|please|plz)?$/;

export type FollowUp = 'why' | 'more';

/** A bare follow-up that only makes sense against the previous turn. */
export function findFollowUp(folded: string): FollowUp | undefined {
  const text = folded.trim();
  if (text.length > 30) return undefined;
  if (WHY.test(text)) return 'why';
  if (MORE.test(text)) return 'more';
  return undefined;
}

/** "那第二條呢" / "and the third?": an ordinal with little else, resolved against the last turn. */
export function isBareOrdinal(folded: string): boolean {
  const rest = folded
    .replace(/第\s*([一二两三四五六七八九十]{1,2}|\d{1,2})\s*(条|项|点|个|则)?/, '')
    .replace(/\b(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|one|the|and|what|about|how|ones?)\b/g, '')
    .replace(/[那呢么吗啊的是什还有和]/g, '')
    .replace(/\s+/g, '');
  return rest.length <= 2;
}

/** A trigger phrase matcher: Chinese by substring, Latin words at word boundaries. */
export function compileTriggers(triggers: readonly string[], fold: (t: string) => string): (folded: string) => boolean {
  const han: string[] = [];
  const latin: string[] = [];
  for (const trigger of triggers) {
    const folded = fold(trigger);
    if (!folded) continue;
    if (/\p{Script=Han}/u.test(folded)) han.push(folded.replace(/\s+/g, ''));
    else latin.push(escapeRegExp(folded));
  }
  const latinPattern = latin.length > 0 ? new RegExp(`(?:^|[^a-z0-9])(?:${latin.join('|')})(?=$|[^a-z0-9])`) : undefined;
  // Folded text has no space between Chinese characters, so only a trigger that mixes in
  // Latin letters or digits ("A股") needs the text without its spaces.
  const pureHan = han.filter((t) => /^\p{Script=Han}+$/u.test(t));
  const mixed = han.filter((t) => !pureHan.includes(t));
  return (folded) => {
    if (pureHan.some((t) => folded.includes(t))) return true;
    if (mixed.length > 0) {
      const compact = folded.replace(/\s+/g, '');
      if (mixed.some((t) => compact.includes(t))) return true;
    }
    return latinPattern ? latinPattern.test(folded) : false;
  };
}

/** "10,000" (folded to "10 000"), "5000", "１２０００" (NFKC): figures written in digits. */
const FIGURE = /\d{1,3}(?:[, ]\d{3})+(?!\d)|\d+/g;

const PEOPLE_AFTER = /^\s*(people|persons|suspects|scammers|workers|victims|人|名|个|個)/;

/** A matcher for a numberCue: a figure in its range (atLeast…atMost) with one of the `near` words. */
export function compileNumberCue(
  cue: { atLeast?: number; atMost?: number; near: readonly string[] },
  fold: (t: string) => string,
): (folded: string) => boolean {
  const near = compileTriggers(cue.near, fold);
  return (folded) => {
    if (!near(folded)) return false;
    for (const match of folded.matchAll(FIGURE)) {
      const value = Number(match[0].replace(/[, ]/g, ''));
      if (cue.atLeast !== undefined && value < cue.atLeast) continue;
      if (cue.atMost !== undefined && value > cue.atMost) continue;
      // "arrests in 2025" is a year, not a count: a year-like figure counts only before people.
      const yearLike = /^(19|20)\d\d$/.test(match[0]);
      if (yearLike && !PEOPLE_AFTER.test(folded.slice((match.index ?? 0) + match[0].length))) continue;
      return true;
    }
    return false;
  };
}

/**
 * Every recommendation number a question names, in order ("the second and third", "第二條和第三條",
 * "2 and 4"): two or more are answered together (a comparison, or two asked at once).
 */
export function findOrdinals(folded: string): number[] {
  const found: number[] = [];
  for (const m of folded.matchAll(/第\s*([一二两三四五六七八九十]{1,2}|\d{1,2})/g)) {
    const n = zhNumber(m[1] as string);
    if (n !== undefined) found.push(n);
  }
  for (const m of folded.matchAll(/\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\b/g))
    found.push(EN_ORDINALS[m[1] as string] as number);
  // "rec 2 vs rec 3", "recommendation 2 and recommendation 3"
  for (const m of folded.matchAll(/(?:recommendations?|recs?|suggestions?|tips?|建议|建言)\s*#?\s*(\d|one|two|three|four)(?![\d])/g))
    found.push(EN_ORDINALS[m[1] as string] ?? Number(m[1]));
  // "recommendations 2 and 3", "建议2和3", "rec 1 & 4"
  const list = /(?:recommendations?|建议|recs?)\s*#?\s*(\d)\s*(?:and|和|与|跟|同|or|vs|,)\s*#?\s*(\d)/.exec(folded);
  if (list) found.push(Number(list[1]), Number(list[2]));
  const after = /(\d|[一二三四])\s*(?:和|与|跟|同)\s*(\d|[一二三四])\s*(?:条|项|号)?\s*建议/.exec(folded);
  if (after) found.push(zhNumber(after[1] as string) ?? 0, zhNumber(after[2] as string) ?? 0);
  return [...new Set(found.filter((n) => n > 0))];
}

/** "第一條同第四條": ordinals that carry the counter of recommendations themselves. */
export function countsAdviceOrdinals(folded: string): number {
  return [...folded.matchAll(/第\s*(?:[一二两三四五六七八九十]{1,2}|\d{1,2})\s*(?:条|项)/g)].length;
}

const BOTH =
  /两条|两项|两点|两个建议|这两|那两|两者|各自|分别|\b(both|these two|those two|the two|each of them|them both|respectively|the other one)\b/;

/** "对比一下这两条", "how do the two differ": a comparison of recommendations named elsewhere in the message. */
export function refersToTwo(folded: string): boolean {
  return BOTH.test(folded);
}
