/**
 * The calibrated numbers of question understanding, in one place: similarity and fit thresholds,
 * ask-back margins and the shares that decide "the article does not say". They were set against
 * the development set and checked on the blind holdouts (test/eval); change them only with both.
 */

/**
 * An entry answers the kind asked about what the question names only when it is about at least this much
 * of it (weighted by rarity): "how many people were in the working group" is not the arrest count.
 */
export const STATED_MIN_SUBJECT_FIT = 0.3;
/** A candidate at or above this score is answered; below it the question is not recognised. */
export const ANSWER_THRESHOLD = 0.3;
/**
 * …and an entry that answers another kind of question than the one asked ("哪裡" asked, advice
 * given), or is about none of what it names and answers none of what it asks, must be this close.
 */
export const OTHER_KIND_THRESHOLD = 0.45;
/** A candidate that fits both the kind of question and its subject is answered from this score. */
export const STRUCTURE_THRESHOLD = 0.18;
/** …and, when the question has words of its own, resembles it at least this much. */
export const STRUCTURE_MIN_SIMILARITY = 0.15;
/** Similarity at which an entry answering the kind asked, about all the question names, outweighs unknown words. */
export const FITS_ALL_SIMILARITY = 0.6;
/** Subject fit of an entry about everything the question names. */
export const FULL_FIT = 0.999;
/** A match this close is answered even when the message also carries instructions. */
export const CONFIDENT_THRESHOLD = 0.55;
/** Below this score, a runner-up closer than ASK_BACK_MARGIN makes the bot ask which was meant. */
export const ASK_BACK_BELOW = 0.6;
export const ASK_BACK_MARGIN = 0.06;
/** Below this similarity even related entries are asked back between. */
export const KIN_SURE = 0.45;

/** Added to an `unknown` entry whose cue phrase is present ("exactly", "which prison"). */
export const UNKNOWN_TRIGGER_BONUS = 0.3;
/** A cued unknown needs at least this similarity of its own to take the answer. */
export const CUED_UNKNOWN_MIN = 0.12;
/** Share of the question's weight on words the content knows, above which it is "about the article". */
export const IN_DOMAIN_COVERAGE = 0.7;
/** A question this much made of words the content never uses asks about something the article does not mention… */
export const UNKNOWN_SHARE = 0.34;
/** …and, naming none of the article's subjects, this much: about another topic altogether. */
export const OFF_TOPIC_SHARE = 0.5;
/** …when it is a short question, of at most this many words (Chinese: characters)… */
export const UNKNOWN_MAX_WORDS = 16;
/** …unless it is this close to a known paraphrase anyway. */
export const UNKNOWN_OVERRIDE = 0.85;
/** Messages up to this long are searched whole for injection and premise cues; longer ones in their questions. */
export const INSTRUCTION_SCAN_CHARS = 4000;
/** A question wrapped in a false premise is answered too from this similarity. */
export const WRAPPED_MIN = 0.45;
/** A "yes" needs a match this close: the article must plainly say what was asked. */
export const YES_THRESHOLD = 0.8;
