/**
 * The shapes of content ids that travel in buttons: one definition for the content schema that
 * accepts them and the button data that carries them back.
 */
/** A knowledge entry: "fact.arrests", "rec.2" (bounded, so any entry fits in a button's 64 bytes). */
export const ENTRY_ID = '[a-z0-9][a-z0-9.-]{0,40}';
/** An article block: the title, paragraphs p1…, recommendations rec1…, the closing. */
export const BLOCK_ID = '(?:title|closing\\d*|p\\d{1,3}|rec\\d{1,2})';
