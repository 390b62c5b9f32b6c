import type { Reply, ReplyBlock } from '../../src/protocol/reply.ts';
import type { ReplyComposer } from '../../src/qa/compose.ts';
import { LANGS, type Lang } from '../../src/text/script.ts';
import { encodeAction } from '../shared/button-data.ts';

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

export function trim(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}${ELLIPSIS}`;
}

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
export function renderDiscord(reply: Reply, options: { footer: string; langLabels: Record<Lang, string> }): DiscordMessage[] {
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
export function discordRenderer(composer: ReplyComposer): (reply: Reply) => DiscordMessage[] {
  const footer = composer.content.knowledge.title;
  const langLabels = Object.fromEntries(LANGS.map((l) => [l, composer.text('langShort', l)])) as Record<Lang, string>;
  return (reply) => renderDiscord(reply, { footer: footer[reply.lang], langLabels });
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

function splitText(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf('。'), window.lastIndexOf('. '));
    let at = cut > max / 2 ? cut + 1 : max;
    // Never between the two halves of a surrogate pair (an emoji): each piece must stay valid text.
    if (/[\uD800-\uDBFF]/.test(rest.charAt(at - 1))) at--;
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  if (rest) out.push(rest);
  return out;
}

function buttons(reply: Reply, langLabels: Record<Lang, string>): DiscordMessage['components'] {
  const all: ButtonJson[] = [];
  for (const s of reply.suggestions) {
    const id = encodeAction(s.action);
    if (id) all.push({ type: 2, style: 2, label: trim(s.label, LIMITS.buttonLabel), custom_id: id });
  }
  const rows: DiscordMessage['components'] = [];
  for (let i = 0; i < all.length && rows.length < LIMITS.rows - 1; i += LIMITS.buttonsPerRow) {
    rows.push({ type: 1, components: all.slice(i, i + LIMITS.buttonsPerRow) });
  }
  if (reply.entryId) {
    const langs = LANGS.filter((l) => l !== reply.lang)
      .map((l) => ({ label: langLabels[l], id: encodeAction({ type: 'translate', lang: l, id: reply.entryId as string }) }))
      .filter((b): b is { label: string; id: string } => b.id !== undefined)
      .map((b) => ({ type: 2 as const, style: 2 as const, label: b.label, custom_id: b.id }));
    if (langs.length) rows.push({ type: 1, components: langs });
  }
  return rows;
}
