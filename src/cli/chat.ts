import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Core } from '../core/core.ts';
import type { ChatEvent } from '../protocol/event.ts';
import type { Reply, Suggestion } from '../protocol/reply.ts';
import { renderSuggestions, renderText } from './render-text.ts';

export interface ConsoleChatOptions {
  core: Core;
  input: Readable;
  output: Writable;
  /** Printed once before the first prompt. */
  banner?: string;
  chatId?: string;
}

/**
 * An interactive chat on the core, with the same context handling as a real chat.
 * `/command args` runs a command; a bare number presses one of the last reply's buttons.
 */
export async function runConsoleChat({ core, input, output, banner, chatId = 'console' }: ConsoleChatOptions): Promise<void> {
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output, terminal: interactive, prompt: '> ' });
  // Attach the line iterator before the first await: piped lines read meanwhile would be dropped.
  const lines = rl[Symbol.asyncIterator]();
  const write = (text: string) => output.write(`${text}\n`);
  const base: Omit<ChatEvent, 'text'> = {
    platform: 'console',
    chatId,
    userId: 'console-user',
    chatType: 'private',
    locale: process.env.LANG,
  };
  let lastSuggestions: Suggestion[] = [];

  const show = (reply: Reply) => {
    write(renderText(reply));
    const buttons = renderSuggestions(reply);
    if (buttons) write(`\n${buttons}`);
    write('');
    lastSuggestions = reply.suggestions;
  };

  if (banner) write(banner);
  show(await core.handle({ ...base, text: '', command: 'start' }));
  rl.prompt();
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const line: string = next.value;
    const text = line.trim();
    if (text === '/quit' || text === '/exit') break;
    const pressed = /^\d$/.test(text) ? lastSuggestions[Number(text) - 1] : undefined;
    let event: ChatEvent;
    if (pressed) event = eventForSuggestion(base, pressed);
    else if (text.startsWith('/')) {
      const [, name = '', args = ''] = /^\/(\S+)\s*([\s\S]*)$/.exec(text) ?? [];
      event = { ...base, text: args, command: name.toLowerCase() };
    } else event = { ...base, text };
    show(await core.handle(event));
    rl.prompt();
  }
  rl.close();
}

export function eventForSuggestion(base: Omit<ChatEvent, 'text'>, suggestion: Suggestion): ChatEvent {
  const { action } = suggestion;
  if (action.type === 'entry') return { ...base, text: '', entryId: action.id };
  if (action.type === 'block') return { ...base, text: '', blockId: action.id };
  if (action.type === 'lang') return { ...base, text: action.lang, command: 'lang' };
  return { ...base, text: action.arg ?? '', command: action.command };
}
