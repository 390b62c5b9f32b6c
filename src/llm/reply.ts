import type { Content } from '../content/load.ts';
import type { Reply } from '../protocol/reply.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { verbatimIn } from '../text/fold.ts';
import type { Lang } from '../text/script.ts';
import type { ModelAnswer } from './parse.ts';

/** A verified model answer as the reply the user sees. */
export type LlmReplyBuilder = (answer: ModelAnswer, lang: Lang) => Reply;

export interface LlmReplyDeps {
  content: Content;
  convert: ScriptConverter;
  composer: ReplyComposer;
}

/** Labelled as generated, the answer, at most two quotes, citations and the usual suggestions. */
export function createLlmReplyBuilder({ content, convert, composer }: LlmReplyDeps): LlmReplyBuilder {
  const blockText = new Map(content.article.blocks.map((b) => [b.id, b.text]));
  return (answer, lang) => {
    // The model may quote in another script: the reply carries the article's exact characters.
    const citations = answer.citations.map((c) => ({
      block: c.block,
      quote: verbatimIn(blockText.get(c.block) ?? '', c.quote, convert) ?? c.quote,
    }));
    return {
      kind: 'answer',
      lang,
      blocks: [
        { type: 'notice', text: composer.text('llmLabel', lang) },
        { type: 'paragraph', text: answer.answer },
        ...citations.slice(0, 2).map((c) => composer.quoteBlock(c, lang)),
      ],
      citations: composer.citations(citations, lang),
      suggestions: composer.defaultSuggestions(lang),
      source: 'llm',
    };
  };
}
