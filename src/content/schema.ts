import { z } from 'zod';
import { questionKinds } from './language-schema.ts';

/** Text in each of the three reply languages; all three are required. */
export const localizedText = z.strictObject({
  'zh-Hant': z.string().trim().min(1),
  'zh-Hans': z.string().trim().min(1),
  en: z.string().trim().min(1),
});
export type LocalizedText = z.infer<typeof localizedText>;

const localizedList = z.strictObject({
  'zh-Hant': z.array(z.string().trim().min(1)).min(1),
  'zh-Hans': z.array(z.string().trim().min(1)).min(1),
  en: z.array(z.string().trim().min(1)).min(1),
});
export type LocalizedList = z.infer<typeof localizedList>;

export const citation = z.strictObject({
  block: z.string().regex(/^[a-z]+\d*$/, 'a block id such as p3 or rec2'),
  quote: z.string().trim().min(2),
});
export type Citation = z.infer<typeof citation>;

export const blockSchema = z.strictObject({
  id: z.string().regex(/^[a-z]+\d*$/),
  kind: z.enum(['title', 'paragraph', 'recommendation', 'closing']),
  text: z.string().min(1),
});

/** content/articles/<id>/article.json: written by `content build`, never by hand. */
export const articleFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  language: z.literal('zh-Hant'),
  sourceSha256: z.string().regex(/^[0-9a-f]{64}$/),
  blocks: z.array(blockSchema).min(2),
});
export type ArticleFile = z.infer<typeof articleFileSchema>;

/**
 * One answerable thing. `fact` and `recommendation` answer; `unknown` says what the article
 * does not state (and what it does say instead); `premise` corrects a false assumption;
 * `offtopic` and `injection` decline.
 */
export const entryKinds = ['fact', 'recommendation', 'unknown', 'premise', 'offtopic', 'injection'] as const;
export type EntryKind = (typeof entryKinds)[number];

export const entrySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case id such as fact.arrests'),
    kind: z.enum(entryKinds),
    /** Recommendation number (1-based); only on recommendations. */
    n: z.number().int().min(1).optional(),
    /** Paraphrases a reader might type; matched script-insensitively. */
    questions: localizedList,
    /**
     * Cue phrases that, when present, make this entry apply (premise, unknown, offtopic and
     * injection entries rely on them). Any language; matched script-insensitively.
     */
    triggers: z.array(z.string().trim().min(1)).default([]),
    /**
     * A figure written in digits that applies this entry too: at least `atLeast` (or at most
     * `atMost`), in a text that also has one of the `near` words ("10,000 arrested", "抓了5000人").
     */
    /**
     * Cue phrases that apply this entry only together, one from each group ("trained" with
     * "Vietnam"): narrower than any single trigger, so such an entry is tried before others.
     */
    triggersTogether: z.array(z.array(z.string().trim().min(1)).min(1)).default([]),
    numberCue: z
      .strictObject({
        atLeast: z.number().int().positive().optional(),
        /** Or a figure of at most this ("only 20 were arrested"). */
        atMost: z.number().int().positive().optional(),
        near: z.array(z.string().trim().min(1)).min(1),
      })
      .refine((cue) => cue.atLeast !== undefined || cue.atMost !== undefined, 'numberCue needs atLeast or atMost')
      .optional(),
    /**
     * On a premise: the thing assumed is simply absent from the article (the FBI, an army). Asked
     * as a plain yes/no ("did the army take part?") the truthful kind is not_in_article; assumed
     * inside a question ("how did the FBI help?") it is a correction.
     */
    notMentioned: z.boolean().default(false),
    /**
     * On a premise whose trigger words also name other things ("越南" in "有冇越南人?"): a yes/no
     * question that also asks what the article leaves open gets that answer too.
     */
    alsoOpen: z.boolean().default(false),
    answer: localizedText,
    citations: z.array(citation).default([]),
    /** The article's subjects this entry is about (ids from the knowledge file's `subjects`). */
    subjects: z.array(z.string()).default([]),
    /** The kinds of question it answers ("where", "how_many", …); for an `unknown`, the ones the article leaves open. */
    asks: z.array(z.enum(questionKinds)).default([]),
    /** Entry ids offered as follow-up buttons. */
    related: z.array(z.string()).default([]),
    /** Entry answering "why?" after this one. */
    why: z.string().optional(),
    /** Entry answering "tell me more" after this one. */
    more: z.string().optional(),
  })
  .superRefine((entry, ctx) => {
    if ((entry.kind === 'fact' || entry.kind === 'recommendation') && entry.citations.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['citations'], message: 'a fact needs at least one citation' });
    }
    if ((entry.kind === 'recommendation') !== (entry.n !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['n'], message: 'n is set on recommendations and only on them' });
    }
  });
export type Entry = z.infer<typeof entrySchema>;

export const citedText = z.strictObject({ text: localizedText, citations: z.array(citation).min(1) });
export type CitedText = z.infer<typeof citedText>;

/**
 * A thing the article is about (the compounds, the suspects, China's working group). Its terms
 * say when a question is about it; `about` is the entry that says what the article does say of
 * it, sent when the kind of question asked has no answer in the article.
 */
export const subjectSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  label: localizedText,
  /** Words and phrases in any language and script, regional variants included. */
  terms: z.array(z.string().trim().min(1)).min(1),
  about: z.string(),
});
export type Subject = z.infer<typeof subjectSchema>;

/**
 * How the article names its own side ("我國" from a government writing about its country) and
 * what that means, per language. The bot never speaks in the article's voice: outside quotation
 * marks its own text says what is meant. English words are matched as whole words, so each must
 * begin and end with a letter or digit.
 */
export const selfReferenceSchema = z.strictObject({
  says: z.strictObject({
    'zh-Hant': localizedList.shape['zh-Hant'],
    'zh-Hans': localizedList.shape['zh-Hans'],
    en: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9](?:.*[A-Za-z0-9])?$/, 'an English word or phrase'),
      )
      .min(1),
  }),
  means: localizedText,
});
export type SelfReference = z.infer<typeof selfReferenceSchema>;

/** content/articles/<id>/knowledge.yaml: hand-written facts, advice and limits of the article. */
export const knowledgeFileSchema = z
  .strictObject({
    article: z.string().regex(/^[a-z0-9-]+$/),
    /** Says the English (and any paraphrase) is this project's translation, not the article's. */
    translationNote: localizedText,
    title: localizedText,
    provenance: z.strictObject({
      /** null when the article does not say: the bot then says so instead of guessing. */
      date: z.string().nullable(),
      author: z.string().nullable(),
      outlet: z.string().nullable(),
      perspective: localizedText,
      /** None for an article written in no one's own voice. */
      selfReferences: z.array(selfReferenceSchema).default([]),
      note: localizedText,
    }),
    summary: z.strictObject({ short: citedText, long: citedText }),
    /** What the article is about, for understanding questions (see subjectSchema). */
    subjects: z.array(subjectSchema).default([]),
    /** The subject a question is taken to be about when it names none ("where did it happen?"). */
    defaultSubject: z.string().optional(),
    entries: z.array(entrySchema).min(1),
  })
  .superRefine((file, ctx) => {
    const subjects = new Set(file.subjects.map((s) => s.id));
    const entries = new Set(file.entries.map((e) => e.id));
    file.subjects.forEach((subject, i) => {
      if (!entries.has(subject.about))
        ctx.addIssue({ code: 'custom', path: ['subjects', i, 'about'], message: `no entry "${subject.about}"` });
    });
    if (file.defaultSubject !== undefined && !subjects.has(file.defaultSubject)) {
      ctx.addIssue({ code: 'custom', path: ['defaultSubject'], message: `no subject "${file.defaultSubject}"` });
    }
    file.entries.forEach((entry, i) => {
      entry.subjects.forEach((id, j) => {
        if (!subjects.has(id)) ctx.addIssue({ code: 'custom', path: ['entries', i, 'subjects', j], message: `no subject "${id}"` });
      });
    });
  });
export type KnowledgeFile = z.infer<typeof knowledgeFileSchema>;

/** content/articles/<id>/tips.yaml: the short anti-fraud reminders posted on a schedule. */
export const tipSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  /** recommendation, fact (a key fact of the article) or lesson (a practical lesson drawn from it). */
  kind: z.enum(['recommendation', 'fact', 'lesson']),
  text: localizedText,
  citations: z.array(citation).min(1),
});
export type Tip = z.infer<typeof tipSchema>;

export const tipsFileSchema = z.strictObject({
  article: z.string().regex(/^[a-z0-9-]+$/),
  tips: z.array(tipSchema).min(4),
});
export type TipsFile = z.infer<typeof tipsFileSchema>;
