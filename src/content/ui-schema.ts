import { z } from 'zod';
import { localizedText } from './schema.ts';

/**
 * content/ui.yaml: every sentence the bot says that is not an article fact. Each key is
 * required in all three languages; `{placeholders}` are filled by the core.
 */
export const uiKeys = [
  'greeting',
  'help',
  'clarify',
  'noMatch',
  'notCovered',
  'followUpWithoutContext',
  'adviceOutOfRange',
  'langSet',
  'langUsage',
  'inputTruncated',
  'quoteLabel',
  'originalQuoteLabel',
  'adviceListTitle',
  'sourceHeading',
  'sourceTextHeading',
  'sourcePart',
  'suggestAdvice',
  'suggestSummary',
  'suggestSource',
  'suggestMore',
  'suggestWhy',
  'suggestRecommendation',
  'exampleQuestions',
  'langName',
  'apology',
  'llmLabel',
  'suggestParagraph',
  'langShort',
  'groupIntro',
  'buttonExpired',
  'nameAsk',
  'nameSummary',
  'nameAdvice',
  'nameSource',
  'nameLang',
  'nameHelp',
  'cmdStart',
  'cmdAsk',
  'cmdSummary',
  'cmdAdvice',
  'cmdSource',
  'cmdLang',
  'cmdHelp',
  'argQuestion',
  'argNumber',
  'argLanguage',
  'llmRateLimited',
  'llmBudgetExhausted',
] as const;
export type UiKey = (typeof uiKeys)[number];

export const uiFileSchema = z.strictObject(
  Object.fromEntries(uiKeys.map((k) => [k, localizedText])) as Record<UiKey, typeof localizedText>,
);
export type UiStrings = z.infer<typeof uiFileSchema>;
