import type { Entry } from '../content/schema.ts';
import type { Candidate } from './rank.ts';

/** A candidate that fits the kind asked goes first unless its similarity is below this share of the best one's. */
const KIND_TIER_MIN_SHARE = 0.4;

/**
 * Understanding before similarity: candidates that answer the kind of question asked come first,
 * then those that say nothing about it, then those that answer another kind ("where the compounds
 * are" for "what is a compound?"), as long as the better-fitting ones are not far weaker matches.
 */
export function byKindFirst(candidates: readonly Candidate[]): Candidate[] {
  const top = Math.max(0, ...candidates.map((c) => c.similarity));
  const tier = (c: Candidate) => understandingTier(c, top);
  return [...candidates].sort((a, b) => tier(b) - tier(a) || b.score - a.score);
}

/** Fitting what is asked counts, and so does being about what it names ("explain simply what the working group did"). */
export function understandingTier(c: Candidate, topSimilarity: number): number {
  if (c.similarity < topSimilarity * KIND_TIER_MIN_SHARE) return -3;
  return (c.kindFit >= 0.3 ? 1 : c.kindFit < 0 ? -1 : 0) + (c.subjectFit > 0 ? 1 : 0);
}

/** Two entries resting on the same block (the advice to the public and the second recommendation). */
export function sameSource(a: Entry, b: Entry | undefined): boolean {
  const blocks = new Set(a.citations.map((c) => c.block));
  return b?.citations.some((c) => blocks.has(c.block)) === true;
}

/** Entries that answer the same question for a reader (the short and long summary): no need to ask which. */
export function closeKin(a: Entry, b: Entry | undefined): boolean {
  if (!b) return false;
  return a.more === b.id || b.more === a.id || a.why === b.id || b.why === a.id || a.related.includes(b.id) || b.related.includes(a.id);
}
