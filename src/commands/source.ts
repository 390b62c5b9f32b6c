import type { Command } from './command.ts';

export const sourceCommand: Command = {
  name: 'source',
  nameKey: 'nameSource',
  descriptionKey: 'cmdSource',
  run: ({ lang, composer }) => {
    const { knowledge } = composer.content;
    const title = composer.content.article.blocks[0];
    return {
      kind: 'answer',
      lang,
      blocks: [
        { type: 'heading', text: composer.text('sourceHeading', lang) },
        { type: 'paragraph', text: knowledge.title[lang] },
        { type: 'paragraph', text: knowledge.provenance.note[lang] },
        { type: 'paragraph', text: knowledge.provenance.perspective[lang] },
        { type: 'paragraph', text: knowledge.translationNote[lang] },
        { type: 'heading', text: composer.text('sourceTextHeading', lang) },
        ...composer.articleBlocks(lang),
      ],
      citations: title ? composer.citations([{ block: title.id, quote: title.text }], lang) : [],
      suggestions: composer.defaultSuggestions(lang).filter((s) => !(s.action.type === 'command' && s.action.command === 'source')),
      source: 'offline',
    };
  },
};
