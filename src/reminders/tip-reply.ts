import type { Tip } from '../content/schema.ts';
import type { Reply } from '../protocol/reply.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import type { Lang } from '../text/script.ts';

/** A tip as a reminder post: heading, the tip, its first citation quoted. */
export function tipReply(composer: ReplyComposer, tip: Tip, lang: Lang): Reply {
  return {
    kind: 'answer',
    lang,
    blocks: [
      { type: 'heading', text: composer.text('reminderHeading', lang) },
      { type: 'paragraph', text: tip.text[lang] },
      ...tip.citations.slice(0, 1).map((c) => composer.quoteBlock(c, lang)),
    ],
    citations: composer.citations(tip.citations, lang),
    suggestions: composer.defaultSuggestions(lang),
    source: 'offline',
  };
}
