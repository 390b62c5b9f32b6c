import type { Content } from '../content/load.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { foldForMatch } from '../text/fold.ts';
import type { FeatureExtractor } from './features.ts';
import { type IndexSnapshot, ParaphraseIndex } from './paraphrase-index.ts';
import { createMatchFold, createReader, type Reading } from './reading.ts';
import { contentTexts, createVocabulary, spellingTexts, type Vocabulary } from './vocabulary.ts';

/** How one content reads what users type: folds, readings, features, the paraphrase index and the content's words. */
export interface Matching {
  /** The text folded (see text/fold.ts), without this content's variants and spelling fixes. */
  plainFold: (text: string) => string;
  /** The matching form of what users type: folded, variants in standard form, spelling fixed against the content's words. */
  fold: (text: string) => string;
  /** The features of a folded text, stemmed with this content's language data: what `index` compares. */
  features: FeatureExtractor;
  /** What a folded text asks and about what; each text read once until `forget`. */
  read: (folded: string) => Reading;
  /** Forgets the texts read: called for every message, so each costs what a new question costs. */
  forget: () => void;
  index: ParaphraseIndex;
  vocabulary: Vocabulary;
}

/** `indexed`: the paraphrase index of exactly this content, when start-up has it cached. */
export function createMatching(content: Content, convert: ScriptConverter, indexed?: IndexSnapshot): Matching {
  const plainFold = (text: string) => foldForMatch(text, convert);
  const contentFold = createMatchFold(content.language, plainFold);
  const reader = createReader(content.language, content.knowledge.subjects, plainFold);
  // One message is read in pieces several times over (sentences, clauses, halves): each once.
  // Cleared for every message, so the figures in the benchmark are those of a new question.
  const readings = new Map<string, Reading>();
  const read = (folded: string): Reading => {
    const known = readings.get(folded);
    if (known) return known;
    const reading = reader.read(folded);
    readings.set(folded, reading);
    return reading;
  };
  const entries = content.knowledge.entries;
  const { features, stem } = contentFold;
  const index = indexed ? ParaphraseIndex.restore(entries, indexed) : ParaphraseIndex.build(entries, contentFold, features);
  const vocabulary = createVocabulary(contentTexts(content), contentFold, {
    spelling: spellingTexts(content),
    functionWords: content.language.functionWords,
    stem,
  });
  // What users type is also spell-checked against the content's own words.
  const fold = (text: string) => vocabulary.correct(contentFold(text));
  return { plainFold, fold, features, read, forget: () => readings.clear(), index, vocabulary };
}
