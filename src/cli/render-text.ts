import type { Reply } from '../protocol/reply.ts';

/** A reply as plain text, the way a person reads it in a terminal. */
export function renderText(reply: Reply): string {
  const parts: string[] = [];
  for (const block of reply.blocks) {
    switch (block.type) {
      case 'heading':
        parts.push(`【${block.text}】`);
        break;
      case 'paragraph':
      case 'notice':
        parts.push(block.text);
        break;
      case 'list':
        parts.push(block.items.map((item, i) => (block.ordered ? `${i + 1}. ${item}` : `• ${item}`)).join('\n'));
        break;
      case 'quote':
        parts.push(`> ${block.text}\n  — ${block.label} [${block.blockId}]`);
        break;
    }
  }
  return parts.join('\n\n');
}

export function renderSuggestions(reply: Reply): string {
  return reply.suggestions.length === 0 ? '' : reply.suggestions.map((s, i) => `[${i + 1}] ${s.label}`).join('  ');
}
