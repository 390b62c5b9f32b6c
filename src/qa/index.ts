import type { Entry } from '../content/schema.ts';
import { LANGS } from '../text/script.ts';
import { extractFeatures, type Features } from './features.ts';

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
 * An inverted index over every paraphrase of every entry. A query is scored against each
 * paraphrase by TF-IDF cosine; an entry scores as its best paraphrase.
 */
export class ParaphraseIndex {
  private readonly postings = new Map<string, Posting[]>();
  private readonly idf = new Map<string, number>();
  private readonly docEntry: number[] = [];
  private readonly docNorm: number[] = [];
  /** Sum of each paraphrase's feature weights, for "how much of this paraphrase the query covers". */
  private readonly docMass: number[] = [];

  private readonly entries: readonly Entry[];

  constructor(entries: readonly Entry[], fold: (text: string) => string) {
    this.entries = entries;
    const docs: Features[] = [];
    const addDoc = (text: string, entryIndex: number) => {
      docs.push(extractFeatures(fold(text)));
      this.docEntry.push(entryIndex);
    };
    entries.forEach((entry, entryIndex) => {
      for (const lang of LANGS) for (const question of entry.questions[lang]) addDoc(question, entryIndex);
      // The article's own words also point at the facts that cite them ("受審" → p6's 審判).
      if (entry.kind === 'fact' || entry.kind === 'recommendation') for (const c of entry.citations) addDoc(c.quote, entryIndex);
    });
    const df = new Map<string, number>();
    for (const doc of docs) for (const key of doc.keys()) df.set(key, (df.get(key) ?? 0) + 1);
    for (const [key, n] of df) this.idf.set(key, Math.log(1 + docs.length / n));
    docs.forEach((doc, i) => {
      let norm = 0;
      let mass = 0;
      for (const [key, tf] of doc) {
        const weight = tf * (this.idf.get(key) ?? 0);
        norm += weight * weight;
        mass += weight;
        let list = this.postings.get(key);
        if (!list) {
          list = [];
          this.postings.set(key, list);
        }
        list.push({ doc: i, weight });
      }
      this.docNorm.push(Math.sqrt(norm) || 1);
      this.docMass.push(mass || 1);
    });
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
    const dots = new Map<number, number>();
    const covered = new Map<number, number>();
    let queryNorm = 0;
    for (const [key, tf] of features) {
      const idf = this.idf.get(key);
      if (idf === undefined) {
        // Unknown words still count against the query's length, with the highest idf.
        const w = tf * Math.log(1 + this.docNorm.length);
        queryNorm += w * w;
        continue;
      }
      const q = tf * idf;
      queryNorm += q * q;
      for (const { doc, weight } of this.postings.get(key) ?? []) {
        dots.set(doc, (dots.get(doc) ?? 0) + q * weight);
        covered.set(doc, (covered.get(doc) ?? 0) + Math.min(weight, q));
      }
    }
    queryNorm = Math.sqrt(queryNorm) || 1;
    const best = new Map<number, number>();
    for (const [doc, dot] of dots) {
      const entryIndex = this.docEntry[doc] as number;
      const cosine = dot / (queryNorm * (this.docNorm[doc] as number));
      const recall = (covered.get(doc) ?? 0) / (this.docMass[doc] as number);
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
