import type { Conversation } from '../../src/core/conversation.ts';
import { encodeAction } from '../../src/protocol/button-data.ts';
import { LANGS, type Lang } from '../../src/protocol/lang.ts';
import type { Reply } from '../../src/protocol/reply.ts';
import { trimLabel } from './text.ts';

/** A button as both platforms need it: what it says and the data it sends back. */
export interface ButtonSpec {
  label: string;
  data: string;
}

/** The short name of each language, as shown on the language-switch buttons. */
export type LangLabels = Record<Lang, string>;

/** The texts a renderer shows besides the reply: language labels, the article's title. */
export type PlatformTexts = Pick<Conversation, 'text' | 'articleTitle'>;

export function langLabelsFrom(texts: { text(key: 'langShort', lang: Lang): string }): LangLabels {
  return Object.fromEntries(LANGS.map((l) => [l, texts.text('langShort', l)])) as LangLabels;
}

/** The reply's follow-ups as buttons; one whose data would not fit a button is left out. */
export function suggestionButtons(reply: Reply, maxLabel: number): ButtonSpec[] {
  const out: ButtonSpec[] = [];
  for (const s of reply.suggestions) {
    const data = encodeAction(s.action);
    if (data) out.push({ label: trimLabel(s.label, maxLabel), data });
  }
  return out;
}

/** Under an answer from an entry: the same answer in each other language and script. */
export function languageRow(reply: Reply, labels: LangLabels): ButtonSpec[] {
  if (!reply.entryId) return [];
  const id = reply.entryId;
  return LANGS.filter((l) => l !== reply.lang).flatMap((l) => {
    const data = encodeAction({ type: 'translate', lang: l, id });
    return data ? [{ label: labels[l], data }] : [];
  });
}
