import { BUTTON_COMMANDS, type ButtonCommandName } from './commands.ts';
import type { ChatEvent } from './event.ts';
import { BLOCK_ID, ENTRY_ID } from './ids.ts';
import { isLang, type Lang } from './lang.ts';
import type { SuggestionAction } from './reply.ts';

/** What a button press asks for. `translate` re-answers an entry in another script or language. */
export type ButtonAction = SuggestionAction | { type: 'translate'; lang: Lang; id: string };

/**
 * Button payloads shared by the adapters: Telegram's callback_data (≤ 64 bytes) and Discord's
 * custom_id (≤ 100 characters). The smaller limit applies to both.
 */
export const MAX_CALLBACK_BYTES = 64;
const ENTRY = new RegExp(`^e:(${ENTRY_ID})$`);
const BLOCK = new RegExp(`^b:(${BLOCK_ID})$`);
const COMMAND = new RegExp(`^c:(${BUTTON_COMMANDS.join('|')})(?::([a-z0-9]{1,10}))?$`);
const LANG = /^l:(zh-Hant|zh-Hans|en)$/;
const TRANSLATE = new RegExp(`^t:(zh-Hant|zh-Hans|en):(${ENTRY_ID})$`);

export function encodeAction(action: ButtonAction): string | undefined {
  let data: string;
  switch (action.type) {
    case 'entry':
      data = `e:${action.id}`;
      break;
    case 'block':
      data = `b:${action.id}`;
      break;
    case 'command':
      data = `c:${action.command}${action.arg ? `:${action.arg}` : ''}`;
      break;
    case 'lang':
      data = `l:${action.lang}`;
      break;
    case 'translate':
      data = `t:${action.lang}:${action.id}`;
      break;
  }
  return Buffer.byteLength(data) <= MAX_CALLBACK_BYTES ? data : undefined;
}

/** Strict parsing: anything not produced by encodeAction (forged, stale format) is undefined. */
export function decodeAction(data: string | undefined): ButtonAction | undefined {
  if (!data || Buffer.byteLength(data) > MAX_CALLBACK_BYTES) return undefined;
  const entry = ENTRY.exec(data);
  if (entry) return { type: 'entry', id: entry[1] as string };
  const block = BLOCK.exec(data);
  if (block) return { type: 'block', id: block[1] as string };
  const command = COMMAND.exec(data);
  if (command) {
    const name = command[1] as ButtonCommandName;
    return command[2] ? { type: 'command', command: name, arg: command[2] } : { type: 'command', command: name };
  }
  const lang = LANG.exec(data);
  if (lang && isLang(lang[1])) return { type: 'lang', lang: lang[1] };
  const translate = TRANSLATE.exec(data);
  if (translate && isLang(translate[1])) return { type: 'translate', lang: translate[1], id: translate[2] as string };
  return undefined;
}

/** What a button may point at; the core's composer answers both. */
export interface ButtonTargets {
  entries: { has(id: string): boolean };
  hasBlock(id: string): boolean;
}

/**
 * Whether a well-formed button still points at something: an entry or block that is no longer
 * in the content (a button sent before the content changed, or a forged one) has expired.
 */
export function isLive(action: ButtonAction, targets: ButtonTargets): boolean {
  if (action.type === 'entry' || action.type === 'translate') return targets.entries.has(action.id);
  if (action.type === 'block') return targets.hasBlock(action.id);
  return true;
}

/** A button press as a core event, given who pressed it where (the platform's part). */
export function actionEvent(action: ButtonAction, base: Omit<ChatEvent, 'text'>): ChatEvent {
  const event = { ...base, text: '' };
  switch (action.type) {
    case 'entry':
      return { ...event, entryId: action.id };
    case 'block':
      return { ...event, blockId: action.id };
    case 'translate':
      return { ...event, entryId: action.id, langHint: action.lang, locale: undefined };
    case 'lang':
      return { ...event, command: 'lang', text: action.lang };
    case 'command':
      return { ...event, command: action.command, text: action.arg ?? '' };
  }
}
