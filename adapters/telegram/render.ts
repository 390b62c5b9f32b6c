import type { Reply, ReplyBlock } from '../../src/protocol/reply.ts';
import { LANGS } from '../../src/text/script.ts';
import { encodeAction } from '../shared/button-data.ts';

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
export function renderTelegram(
  reply: Reply,
  langLabels: Record<(typeof LANGS)[number], string>,
  limit = TELEGRAM_MAX_MESSAGE,
): TelegramMessage[] {
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

/** Splits text at line, sentence or word boundaries into pieces whose escaped form fits `budget`. */
export function chunks(text: string, budget: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (escapeHtml(rest).length > budget) {
    // Escaping can grow text (& → &amp;): shrink the cut until its escaped form fits.
    let cut = Math.min(budget, rest.length);
    while (cut > 1 && escapeHtml(rest.slice(0, cut)).length > budget) cut = Math.floor(cut * 0.9);
    const window = rest.slice(0, cut);
    const boundary = Math.max(window.lastIndexOf('\n'), window.lastIndexOf('。'), window.lastIndexOf('. '), window.lastIndexOf(' '));
    const at = boundary > cut / 2 ? boundary + 1 : cut;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

function label(text: string): string {
  const chars = Array.from(text);
  return chars.length <= BUTTON_LABEL_MAX ? text : `${chars.slice(0, BUTTON_LABEL_MAX - 1).join('')}…`;
}

function buildKeyboard(reply: Reply, langLabels: Record<(typeof LANGS)[number], string>): InlineButton[][] {
  const rows: InlineButton[][] = [];
  let row: InlineButton[] = [];
  for (const s of reply.suggestions) {
    const data = encodeAction(s.action);
    if (!data) continue;
    const button = { text: label(s.label), callback_data: data };
    // Short labels share a row, long ones (questions) get their own.
    if (Array.from(s.label).length > 14) {
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
  if (reply.entryId) {
    const langs = LANGS.filter((l) => l !== reply.lang)
      .map((l) => ({ text: langLabels[l], data: encodeAction({ type: 'translate', lang: l, id: reply.entryId as string }) }))
      .filter((b): b is { text: string; data: string } => b.data !== undefined);
    if (langs.length) rows.push(langs.map((b) => ({ text: b.text, callback_data: b.data })));
  }
  return rows;
}
