import type { Entry } from '../content/schema.ts';
import { compileNumberCue, compileTriggers } from './cues.ts';

/** An entry recognised by its cue phrases, not by resemblance: its `hits` says whether a folded text has one. */
export interface CuedEntry {
  entry: Entry;
  hits: (folded: string) => boolean;
}

/** The entries that answer by cue: injections, false premises, off-topic requests and known unknowns. */
export interface EntryCues {
  injections: CuedEntry[];
  premises: CuedEntry[];
  offtopics: CuedEntry[];
  /** Each known unknown's cue matcher, by entry id. */
  unknownTriggers: ReadonlyMap<string, (folded: string) => boolean>;
  isOfftopic: (folded: string) => boolean;
}

export function compileEntryCues(entries: readonly Entry[], fold: (text: string) => string): EntryCues {
  const injections = cuedEntries(entries, 'injection', fold);
  const premises = cuedEntries(entries, 'premise', fold);
  const offtopics = cuedEntries(entries, 'offtopic', fold);
  const isOfftopic = (folded: string) => offtopics.some(({ hits }) => hits(folded));
  const unknownTriggers = new Map(cuedEntries(entries, 'unknown', fold).map(({ entry, hits }) => [entry.id, hits]));
  return { injections, premises, offtopics, unknownTriggers, isOfftopic };
}

/** The entries of one kind that have cues. */
function cuedEntries(entries: readonly Entry[], kind: Entry['kind'], fold: (text: string) => string): CuedEntry[] {
  return (
    entries
      .filter((e) => e.kind === kind && (e.triggers.length > 0 || e.numberCue || e.triggersTogether.length > 0))
      // The narrower cue first: "trained in Vietnam" is about the training before it is about Vietnam.
      .sort((a, b) => Number(b.triggersTogether.length > 0) - Number(a.triggersTogether.length > 0))
      .map((e) => compileEntryCue(e, fold))
  );
}

/** An entry's cue: one of its trigger phrases, its number cue, or every group of its `triggersTogether`. */
function compileEntryCue(e: Entry, fold: (text: string) => string): CuedEntry {
  const phrase = compileTriggers(e.triggers, fold);
  const figure = e.numberCue ? compileNumberCue(e.numberCue, fold) : () => false;
  const groups = e.triggersTogether.map((group) => compileTriggers(group, fold));
  const together = (folded: string) => groups.length > 0 && groups.every((hits) => hits(folded));
  return { entry: e, hits: (folded: string) => phrase(folded) || figure(folded) || together(folded) };
}
