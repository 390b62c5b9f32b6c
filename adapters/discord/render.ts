import type { Reply, ReplyBlock } from '../../src/protocol/reply.ts';
import { type LangLabels, langLabelsFrom, languageRow, type PlatformTexts, suggestionButtons } from '../shared/buttons.ts';
import { splitText, trimLabel } from '../shared/text.ts';

/** Discord's limits (characters). */
export const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
  embeds: 10,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
} as const;

export interface EmbedJson {
  title?: string;
  description?: string;
  color: number;
  fields: { name: string; value: string }[];
  footer: { text: string };
}

export interface ButtonJson {
  type: 2;
  style: 2;
  label: string;
  custom_id: string;
}

export interface DiscordMessage {
  embeds: EmbedJson[];
  components: { type: 1; components: ButtonJson[] }[];
  /** Never ping: not @everyone, not a role, not a user — whatever the question contained. */
  allowed_mentions: { parse: [] };
}

const COLOR = 0xc0392b;
const ELLIPSIS = '…';

const trim = trimLabel;

/** Markdown in our text is shown as written: Discord would otherwise style or hide it. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_~`|>#[\]()-])/g, '\\$1').replace(/@/g, '@\u200b');
}

const embedSize = (e: EmbedJson) =>
  (e.title?.length ?? 0) +
  (e.description?.length ?? 0) +
  e.footer.text.length +
  e.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);

/**
 * Pure: a core Reply as Discord messages — embeds with the answer, each cited quote as a field
 * with its block id, and a footer naming the article; follow-ups as buttons on the last one.
 */
export function renderDiscord(reply: Reply, options: { footer: string; langLabels: LangLabels }): DiscordMessage[] {
  const footer = { text: trim(options.footer, LIMITS.footer) };
  const embeds: EmbedJson[] = [];
  let current: EmbedJson = { color: COLOR, fields: [], footer };
  const flush = () => {
    if (current.description || current.fields.length > 0 || current.title) embeds.push(current);
    current = { color: COLOR, fields: [], footer };
  };
  const addText = (text: string) => {
    for (const piece of splitText(text, LIMITS.description - 2)) {
      const next = current.description ? `${current.description}\n\n${piece}` : piece;
      if (next.length > LIMITS.description || current.fields.length > 0) {
        flush();
        current.description = piece;
      } else {
        current.description = next;
      }
    }
  };
  for (const block of reply.blocks) {
    const text = blockText(block);
    if (block.type === 'heading') {
      if (current.description || current.fields.length) flush();
      current.title = trim(text, LIMITS.title);
    } else if (block.type === 'quote') {
      const field = {
        name: trim(`${block.label} [${block.blockId}]`, LIMITS.fieldName),
        value: trim(escapeMarkdown(block.text), LIMITS.fieldValue),
      };
      // An embed also counts toward the 6,000 of its message: keep each one well inside it.
      if (current.fields.length >= LIMITS.fields || embedSize(current) + field.name.length + field.value.length > LIMITS.total) flush();
      current.fields.push(field);
    } else {
      addText(text);
    }
  }
  flush();
  if (embeds.length === 0) embeds.push({ color: COLOR, description: ELLIPSIS, fields: [], footer });

  // Messages of at most 10 embeds and 6,000 characters.
  const messages: DiscordMessage[] = [];
  let batch: EmbedJson[] = [];
  let size = 0;
  for (const e of embeds) {
    const s = embedSize(e);
    if (batch.length > 0 && (batch.length >= LIMITS.embeds || size + s > LIMITS.total)) {
      messages.push({ embeds: batch, components: [], allowed_mentions: { parse: [] } });
      batch = [];
      size = 0;
    }
    batch.push(e);
    size += s;
  }
  messages.push({ embeds: batch, components: buttons(reply, options.langLabels), allowed_mentions: { parse: [] } });
  return messages;
}

/** The renderer with this bot's footer (the article's title) and language labels. */
export function discordRenderer(texts: PlatformTexts): (reply: Reply) => DiscordMessage[] {
  const langLabels = langLabelsFrom(texts);
  return (reply) => renderDiscord(reply, { footer: texts.articleTitle(reply.lang), langLabels });
}

/** A reply as one short plain message (an ephemeral notice): its text, no embeds, no buttons. */
export function renderShort(reply: Reply): string {
  return trim(reply.blocks.map(blockText).join('\n\n'), LIMITS.content);
}

function blockText(block: ReplyBlock): string {
  switch (block.type) {
    case 'heading':
    case 'paragraph':
      return escapeMarkdown(block.text);
    case 'notice':
      return `*${escapeMarkdown(block.text)}*`;
    case 'list':
      return block.items.map((item, i) => `${block.ordered ? `${i + 1}\\.` : '•'} ${escapeMarkdown(item)}`).join('\n');
    case 'quote':
      return escapeMarkdown(block.text);
  }
}

function buttons(reply: Reply, langLabels: LangLabels): DiscordMessage['components'] {
  const button = (b: { label: string; data: string }): ButtonJson => ({ type: 2, style: 2, label: b.label, custom_id: b.data });
  const all = suggestionButtons(reply, LIMITS.buttonLabel).map(button);
  const rows: DiscordMessage['components'] = [];
  for (let i = 0; i < all.length && rows.length < LIMITS.rows - 1; i += LIMITS.buttonsPerRow) {
    rows.push({ type: 1, components: all.slice(i, i + LIMITS.buttonsPerRow) });
  }
  const langs = languageRow(reply, langLabels).map(button);
  if (langs.length) rows.push({ type: 1, components: langs });
  return rows;
}
