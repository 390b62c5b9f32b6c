import { z } from 'zod';

/** The kinds of question the core tells apart. */
export const questionKinds = [
  'where',
  'when',
  'who',
  'how_many',
  'why',
  'how',
  'what_happened',
  'name',
  'compare',
  'explain',
  'summary',
  'what_is',
  'stance',
  'advice',
  'yes_no',
] as const;
export type QuestionKind = (typeof questionKinds)[number];

/** The kinds that name exactly what is asked for: an entry that answers none of them answers a different question. */
export const SPECIFIC_KINDS: ReadonlySet<QuestionKind> = new Set(['where', 'when', 'who', 'how_many', 'why', 'name']);

const phrase = z.string().trim().min(1);
/** One English word as matching reads it from folded text. */
const englishWord = z.string().regex(/^[a-z][a-z']*$/, { message: 'one lower-case English word' });

const regexSource = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'iu');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

/**
 * content/language.yaml: how people ask, shared by every article: regional and shorthand
 * variants, the cue words of each kind of question, and the words that join two questions.
 */
export const languageFileSchema = z.strictObject({
  /** [as written, standard form], matched on folded (Simplified, lower-case) text. */
  variants: z.array(z.tuple([phrase, z.string().trim()])),
  kinds: z.strictObject(
    Object.fromEntries(questionKinds.map((k) => [k, z.array(phrase).min(1)])) as Record<QuestionKind, z.ZodArray<typeof phrase>>,
  ),
  yesNoStarts: z.array(phrase).min(1),
  /** A kind that says what is asked more exactly than others it comes with ("what did they recommend": advice, not what happened). */
  subsumes: z.partialRecord(z.enum(questionKinds), z.array(z.enum(questionKinds))).default({}),
  /** "Can you…", "could you…": before a request word ("can you explain…") a request, not a yes/no question. */
  politeStarts: z.array(phrase).default([]),
  exclusives: z.array(phrase),
  joiners: z.array(phrase).min(1),
  instructionLines: z.array(regexSource),
  /** A mail or chat client's line ("Sent from my phone"): not the sender's words. */
  boilerplateLines: z.array(regexSource).default([]),
  /** Words that ask without a question mark ("Compare…", "请解释…"). */
  requests: z.array(phrase).default([]),
  /** Casual words and characters that say nothing about what is asked (啊, 嘛, lol, basically). */
  casual: z.array(phrase),
  /**
   * "除了打電話騙錢，還搞啥?", "besides scamming, what other crimes…": what the asker already knows,
   * between a `before` word and an `after` word (or the question's wh-word), is not the answer wanted.
   */
  besides: z.strictObject({ before: z.array(phrase), after: z.array(phrase) }).default({ before: [], after: [] }),
  /** "文章說…", "according to the article": how a question frames itself, not the article as its subject. */
  framing: z.array(phrase).default([]),
  /** English function words ("anyone", "over", "besides"): never what a question is about, so never unknown. */
  functionWords: z.array(phrase).default([]),
  /** Words that only point (这个, that, the other thing): a message of only these and casual words asks nothing. */
  vague: z.array(phrase).default([]),
  /**
   * English nationality words and the country each is matched as ("chinese" → "china"), so
   * "Chinese police" finds "China's police". Folded (lower-case) single words; the country is
   * compared as written, not stemmed.
   */
  demonyms: z.record(englishWord, englishWord).default({}),
});
export type LanguageData = z.infer<typeof languageFileSchema>;
