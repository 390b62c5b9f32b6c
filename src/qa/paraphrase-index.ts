import { extname } from 'node:path';
import type { Entry } from '../content/schema.ts';
import { LANGS } from '../text/script.ts';
import { extractFeatures, type FeatureExtractor, type Features } from './features.ts';

export interface Match {
  entry: Entry;
  /** Cosine similarity of TF-IDF vectors against the closest paraphrase, 0…1. */
  score: number;
}

/** How much "the query covers this paraphrase" counts against plain cosine (tuned on the eval set). */
const RECALL_WEIGHT = 0.4;

interface Posting {
  doc: number;
  weight: number;
}

/**
 * What building the index computes, as plain JSON: a compiled bot keeps it with the validated
 * content (src/content/cache.ts), so a start with unchanged content and code skips the folding
 * and feature extraction of ~1,500 paraphrases.
 */
export interface IndexSnapshot {
  /** Feature, its idf, and its postings flattened as doc, weight, doc, weight… */
  features: [string, number, number[]][];
  docEntry: number[];
  docNorm: number[];
  docMass: number[];
}

/**
 * The fold an index is built with. One made for a content (createMatchFold) also brings how that
 * content weighs folded text (its demonyms), so what is indexed and what is searched agree.
 */
export type IndexFold = ((text: string) => string) & { readonly features?: FeatureExtractor };

/** The modules whose code decides what an index holds: a change to one is a change of cache key. */
export const INDEX_MODULES: readonly URL[] = [
  new URL(import.meta.url),
  new URL(`./features${extname(import.meta.url)}`, import.meta.url),
  new URL(`./reading${extname(import.meta.url)}`, import.meta.url),
  new URL(`./cues${extname(import.meta.url)}`, import.meta.url),
  new URL(`../text/fold${extname(import.meta.url)}`, import.meta.url),
  new URL(`../text/normalize${extname(import.meta.url)}`, import.meta.url),
  new URL(`../text/convert${extname(import.meta.url)}`, import.meta.url),
];

/**
 * An inverted index over every paraphrase of every entry. A query is scored against each
 * paraphrase by TF-IDF cosine; an entry scores as its best paraphrase.
 */
export class ParaphraseIndex {
  private readonly postings = new Map<string, Posting[]>();
  private readonly idf = new Map<string, number>();
  private readonly docEntry: number[];
  private readonly docNorm: number[];
  /** Sum of each paraphrase's feature weights, for "how much of this paraphrase the query covers". */
  private readonly docMass: number[];
  /** Scratch sums of one search, kept between searches to spare the allocation. */
  private dots = new Float64Array(0);
  private covered = new Float64Array(0);

  private constructor(
    private readonly entries: readonly Entry[],
    snapshot: IndexSnapshot,
  ) {
    for (const [key, idf, flat] of snapshot.features) {
      this.idf.set(key, idf);
      const list: Posting[] = [];
      for (let i = 0; i < flat.length; i += 2) list.push({ doc: flat[i] as number, weight: flat[i + 1] as number });
      this.postings.set(key, list);
    }
    this.docEntry = snapshot.docEntry;
    this.docNorm = snapshot.docNorm;
    this.docMass = snapshot.docMass;
  }

  /** The index of `entries`, from a snapshot made for exactly these entries. */
  static restore(entries: readonly Entry[], snapshot: IndexSnapshot): ParaphraseIndex {
    return new ParaphraseIndex(entries, snapshot);
  }

  /** `features`: the fold's own (see IndexFold) unless given; the same must make the queries. */
  static build(entries: readonly Entry[], fold: IndexFold, features?: FeatureExtractor): ParaphraseIndex {
    return new ParaphraseIndex(entries, snapshotOf(entries, fold, features));
  }

  /** How much of the query's weight falls on words the index knows (0…1): "is this about the article at all". */
  coverage(features: Features): number {
    let known = 0;
    let total = 0;
    for (const [key, tf] of features) {
      const weight = tf * (this.idf.get(key) ?? Math.log(1 + this.docNorm.length));
      total += weight;
      if (this.postings.has(key)) known += weight;
    }
    return total === 0 ? 0 : known / total;
  }

  /**
   * Entries ranked by their best paraphrase's similarity to the query, best first. Similarity
   * averages cosine (penalises extra words) with how much of the paraphrase the query covers
   * (tolerates them), so "<script>…</script> 園區在哪裡" still finds "園區在哪裡".
   */
  search(features: Features, accept: (entry: Entry) => boolean = () => true): Match[] {
    // Per-document sums in reused arrays: a search touches a few hundred of thousands of paraphrases.
    const docs = this.docNorm.length;
    if (this.dots.length !== docs) {
      this.dots = new Float64Array(docs);
      this.covered = new Float64Array(docs);
    }
    const { dots, covered } = this;
    const touched: number[] = [];
    let queryNorm = 0;
    for (const [key, tf] of features) {
      const idf = this.idf.get(key);
      if (idf === undefined) {
        // Unknown words still count against the query's length, with the highest idf.
        const w = tf * Math.log(1 + docs);
        queryNorm += w * w;
        continue;
      }
      const q = tf * idf;
      queryNorm += q * q;
      for (const { doc, weight } of this.postings.get(key) ?? []) {
        if (dots[doc] === 0 && covered[doc] === 0) touched.push(doc);
        dots[doc] = (dots[doc] as number) + q * weight;
        covered[doc] = (covered[doc] as number) + Math.min(weight, q);
      }
    }
    queryNorm = Math.sqrt(queryNorm) || 1;
    const best = new Map<number, number>();
    for (const doc of touched) {
      const entryIndex = this.docEntry[doc] as number;
      const cosine = (dots[doc] as number) / (queryNorm * (this.docNorm[doc] as number));
      const recall = (covered[doc] as number) / (this.docMass[doc] as number);
      dots[doc] = 0;
      covered[doc] = 0;
      const score = cosine * (1 - RECALL_WEIGHT) + recall * RECALL_WEIGHT;
      if (score > (best.get(entryIndex) ?? 0)) best.set(entryIndex, score);
    }
    const matches: Match[] = [];
    for (const [entryIndex, score] of best) {
      const entry = this.entries[entryIndex] as Entry;
      if (accept(entry)) matches.push({ entry, score });
    }
    return matches.sort((a, b) => b.score - a.score);
  }
}

/**
 * Folds and weighs every paraphrase (and the quotes facts cite) of every entry. `features`: the
 * fold's own (see IndexFold), or plain `extractFeatures` for a fold without a content's language.
 */
export function snapshotOf(
  entries: readonly Entry[],
  fold: IndexFold,
  features: FeatureExtractor = fold.features ?? extractFeatures,
): IndexSnapshot {
  const docs: Features[] = [];
  const docEntry: number[] = [];
  const addDoc = (text: string, entryIndex: number) => {
    docs.push(features(fold(text)));
    docEntry.push(entryIndex);
  };
  entries.forEach((entry, entryIndex) => {
    for (const lang of LANGS) for (const question of entry.questions[lang]) addDoc(question, entryIndex);
    // The article's own words also point at the facts that cite them ("受審" → p6's 審判).
    if (entry.kind === 'fact' || entry.kind === 'recommendation') for (const c of entry.citations) addDoc(c.quote, entryIndex);
  });
  const df = new Map<string, number>();
  for (const doc of docs) for (const key of doc.keys()) df.set(key, (df.get(key) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [key, n] of df) idf.set(key, Math.log(1 + docs.length / n));
  const postings = new Map<string, number[]>();
  const docNorm: number[] = [];
  const docMass: number[] = [];
  docs.forEach((doc, i) => {
    let norm = 0;
    let mass = 0;
    for (const [key, tf] of doc) {
      const weight = tf * (idf.get(key) ?? 0);
      norm += weight * weight;
      mass += weight;
      let flat = postings.get(key);
      if (!flat) {
        flat = [];
        postings.set(key, flat);
      }
      flat.push(i, weight);
    }
    docNorm.push(Math.sqrt(norm) || 1);
    docMass.push(mass || 1);
  });
  return { features: [...postings].map(([key, flat]) => [key, idf.get(key) ?? 0, flat]), docEntry, docNorm, docMass };
}
