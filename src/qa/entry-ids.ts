/**
 * Ids of knowledge entries the code itself refers to (content/articles/<id>/knowledge.yaml has
 * them; `npm run content:check` requires them).
 */

/** The entry that introduces the article's list of recommendations ("what does it recommend?"). */
export const ADVICE_LIST_ID = 'advice.list';
