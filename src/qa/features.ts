import { stemmer } from 'stemmer';

/**
 * Bag-of-features for matching folded text (see text/fold.ts): Chinese as character
 * bigrams plus lighter unigrams — robust across scripts and newer compounds that word
 * segmenters split (電|詐) — and English as stemmed words.
 */

export type Features = Map<string, number>;

const HAN_RUN = /\p{Script=Han}+/gu;
const HAS_HAN = /\p{Script=Han}/u;
// Digits are left out: recommendation numbers are read by cues.ts, and a stray "1" in
// markup must not pull a question towards "recommendation 1".
const WORD = /[a-z][a-z']*/g;

// Words that say nothing about which fact is asked for.
const EN_STOPWORDS = new Set(
  'a an the is are was were be been being do does did of to in on at by for from with and or but it its this that these those what which who whom whose how why when where there here i me my we our you your he she they them their article text say says said tell me about please can could would should will shall any some into as so if then than also just does let one ones other another'.split(
    ' ',
  ),
);
// Single characters too common in questions to carry meaning alone.
const ZH_STOP_UNIGRAMS = new Set('的了是吗呢吧啊么什这那有在和与及就都也还我你他她它们个么请问说讲文章篇'.split(''));
// Question and function characters: a bigram made with one (怎么, 应该, 哪里) says how a
// question is asked, not what about, so it counts for little.
const ZH_FUNCTION_CHARS = new Set('的了是吗呢吧啊么什这那有在和与及就都也还我你他她它们个请问说讲怎该应哪如何些会要能可以吗谁'.split(''));

const UNIGRAM_WEIGHT = 0.35;
const FUNCTION_BIGRAM_WEIGHT = 0.3;

const AGENT_BASE_WEIGHT = 0.5;
const AGENT_SUFFIX = /^([a-z]{3,}?)(?:ster|er)$/;

/** The deed of a doer's stem ("scammer" → "scam", "fraudster" → "fraud"), or undefined. */
export function agentBase(stem: string): string | undefined {
  const m = AGENT_SUFFIX.exec(stem);
  if (!m || stem.length < 6) return undefined;
  const base = m[1] as string;
  // A doubled final consonant is the spelling of the suffix: scamm-er, robb-er.
  return /([b-df-hj-np-tv-z])\1$/.test(base) ? base.slice(0, -1) : base;
}

/** An English word's stem, as matching compares words. */
export type Stem = (word: string) => string;

/** The bag of features of a folded text. */
export type FeatureExtractor = (folded: string) => Features;

/**
 * English stemming where nationality words fold to their country (content/language.yaml's
 * `demonyms`), so "Chinese police" finds "China's police".
 */
export function createStemmer(demonyms: Readonly<Record<string, string>>): Stem {
  const countries = new Map(Object.entries(demonyms));
  return (word) => {
    const bare = word.endsWith("'s") ? word.slice(0, -2) : word;
    return countries.get(bare) ?? stemmer(bare);
  };
}

/** English stemming alone, for text read without a content's language data. */
export const stemEnglish: Stem = createStemmer({});

/** Features as `extractFeatures` makes them, stemmed with `stem` (a content's: see createMatchFold). */
export function createFeatureExtractor(stem: Stem): FeatureExtractor {
  return (folded) => extractFeatures(folded, stem);
}

// Ways of asking the same thing, folded to one form so 幾個人 finds 多少人 (input is Simplified).
const ZH_QUESTION_SYNONYMS: ReadonlyArray<[RegExp, string]> = [
  [/几个|几名|几位|几多|多少个|多少名|多少位/g, '多少'],
  [/哪儿|哪边|哪个地方|什么地方|啥地方|何处/g, '哪里'],
  [/为何|为啥|干嘛|干吗/g, '为什么'],
  [/啥|甚么/g, '什么'],
  [/怎样|如何|咋/g, '怎么'],
];

/** `stem`: the content's (createStemmer); plain English stemming by default. */
export function extractFeatures(folded: string, stem: Stem = stemEnglish): Features {
  for (const [pattern, canonical] of ZH_QUESTION_SYNONYMS) folded = folded.replace(pattern, canonical);
  const features: Features = new Map();
  const add = (key: string, weight: number) => features.set(key, (features.get(key) ?? 0) + weight);
  for (const [run] of folded.matchAll(HAN_RUN)) {
    const chars = Array.from(run);
    chars.forEach((ch, i) => {
      if (!ZH_STOP_UNIGRAMS.has(ch)) add(`u:${ch}`, UNIGRAM_WEIGHT);
      const next = chars[i + 1];
      if (next !== undefined) add(`b:${ch}${next}`, ZH_FUNCTION_CHARS.has(ch) || ZH_FUNCTION_CHARS.has(next) ? FUNCTION_BIGRAM_WEIGHT : 1);
    });
  }
  const latin = folded.replace(HAN_RUN, ' ');
  // "how many" asks for a count in either language; in mixed questions ("how many 嫌疑人
  // were 抓获?") it is the link to the Chinese 多少.
  if (HAS_HAN.test(folded) && /\bhow (many|much)\b/.test(latin)) add('b:多少', 1);
  for (const [word] of latin.matchAll(WORD)) {
    if (EN_STOPWORDS.has(word)) continue;
    const stemmed = stem(word);
    add(`w:${stemmed}`, 1);
    // "scammers" also finds "scam", "fraudsters" "fraud": the doer points at the deed, more lightly.
    const deed = agentBase(stemmed);
    if (deed) add(`w:${deed}`, AGENT_BASE_WEIGHT);
  }
  return features;
}
