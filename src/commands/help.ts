import type { Reply } from '../protocol/reply.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import type { Lang } from '../text/script.ts';
import type { Command } from './command.ts';

function introduction(composer: ReplyComposer, lang: Lang, lead: 'greeting' | 'help'): Reply {
  const blocks: Reply['blocks'] = [{ type: 'paragraph', text: composer.text(lead, lang) }];
  if (lead === 'greeting') blocks.push({ type: 'paragraph', text: composer.text('help', lang) });
  blocks.push({ type: 'list', ordered: false, items: composer.text('exampleQuestions', lang).split('|') });
  return { kind: 'clarify', lang, blocks, citations: [], suggestions: composer.defaultSuggestions(lang), source: 'offline' };
}

export const helpCommand: Command = {
  name: 'help',
  nameKey: 'nameHelp',
  descriptionKey: 'cmdHelp',
  run: ({ lang, composer }) => introduction(composer, lang, 'help'),
};
export const startCommand: Command = {
  name: 'start',
  descriptionKey: 'cmdStart',
  run: ({ lang, composer }) => introduction(composer, lang, 'greeting'),
};
