import type { Reply, ReplyBlock } from '../../src/protocol/reply.ts';
import { type LangLabels, languageRow, suggestionButtons } from '../shared/buttons.ts';
import { splitText } from '../shared/text.ts';

/** Telegram's message limit is 4,096 characters; the HTML we count is always longer than the text. */
export const TELEGRAM_MAX_MESSAGE = 4096;

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface TelegramMessage {
  /** HTML for parse_mode "HTML"; every user and article string in it is escaped. */
  html: string;
  keyboard?: InlineButton[][];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The same message as plain text, for the one retry after Telegram refuses our HTML. */
export function htmlToPlain(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

const BUTTON_LABEL_MAX = 60;

/**
 * Pure: a core Reply as Telegram messages. Blocks become HTML paragraphs; messages are split
 * between paragraphs to stay under the limit; buttons go on the last message.
 */
export function renderTelegram(reply: Reply, langLabels: LangLabels, limit = TELEGRAM_MAX_MESSAGE): TelegramMessage[] {
  const parts = reply.blocks.flatMap((block) => renderBlock(block, limit - 100));
  const messages: string[] = [];
  let current = '';
  for (const part of parts) {
    const candidate = current ? `${current}\n\n${part}` : part;
    if (candidate.length <= limit) {
      current = candidate;
    } else {
      if (current) messages.push(current);
      current = part;
    }
  }
  if (current) messages.push(current);
  if (messages.length === 0) messages.push('…');
  const keyboard = buildKeyboard(reply, langLabels);
  return messages.map((html, i) => (i === messages.length - 1 && keyboard.length > 0 ? { html, keyboard } : { html }));
}

function renderBlock(block: ReplyBlock, budget: number): string[] {
  switch (block.type) {
    case 'heading':
      return chunks(block.text, budget).map((t) => `<b>${escapeHtml(t)}</b>`);
    case 'paragraph':
      return chunks(block.text, budget).map(escapeHtml);
    case 'notice':
      return chunks(block.text, budget).map((t) => `<i>${escapeHtml(t)}</i>`);
    case 'list':
      return chunks(block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '•'} ${item}`).join('\n'), budget).map(escapeHtml);
    case 'quote': {
      const source = `— ${block.label} [${block.blockId}]`;
      return chunks(block.text, budget - source.length).map((t) => `<blockquote>${escapeHtml(t)}\n${escapeHtml(source)}</blockquote>`);
    }
  }
}

/** Pieces of `text` whose escaped form fits `budget`. */
export function chunks(text: string, budget: number): string[] {
  return splitText(text, budget, (piece) => escapeHtml(piece).length);
}

/** Short labels share a row (up to three), long ones (questions) get their own. */
function buildKeyboard(reply: Reply, langLabels: LangLabels): InlineButton[][] {
  const rows: InlineButton[][] = [];
  let row: InlineButton[] = [];
  for (const b of suggestionButtons(reply, BUTTON_LABEL_MAX)) {
    const button = { text: b.label, callback_data: b.data };
    if (Array.from(b.label).length > 14) {
      if (row.length) rows.push(row);
      rows.push([button]);
      row = [];
    } else {
      row.push(button);
      if (row.length === 3) {
        rows.push(row);
        row = [];
      }
    }
  }
  if (row.length) rows.push(row);
  const langs = languageRow(reply, langLabels);
  if (langs.length) rows.push(langs.map((b) => ({ text: b.label, callback_data: b.data })));
  return rows;
}
