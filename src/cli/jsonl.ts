import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import type { Core } from '../core/core.ts';
import type { Reply } from '../protocol/reply.ts';
import { isLang, LANGS, type Lang } from '../text/script.ts';
import { renderText } from './render-text.ts';

const inputLine = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  text: z.string(),
  lang: z.enum(LANGS).optional(),
  chat: z.union([z.string(), z.number()]).transform(String).optional(),
});

export interface JsonlOutput {
  id: string | null;
  text: string;
  kind: Reply['kind'];
  lang: Lang;
  citations: Reply['citations'];
  source: Reply['source'];
  error?: string;
}

/**
 * Reads one JSON question per line and writes exactly one JSON reply per line, in order (an
 * empty or unreadable line too, with `error` saying why), so output line n answers input line n.
 * Lines are independent chats unless they share a `chat` field.
 */
export async function runJsonl(core: Core, input: Readable, output: Writable): Promise<number> {
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  // Chats are scoped to this run, so a context left in the store by an earlier run never leaks in.
  const run = randomUUID().slice(0, 8);
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    output.write(`${JSON.stringify(await answerLine(core, raw, `${run}:${lineNo}`))}\n`);
  }
  return lineNo;
}

async function answerLine(core: Core, raw: string, lineKey: string): Promise<JsonlOutput> {
  let parsed: z.infer<typeof inputLine> | undefined;
  let error: string | undefined;
  let fields: Record<string, unknown> | undefined;
  let isJson = false;
  if (raw.trim() === '') error = 'empty line';
  else {
    try {
      const json: unknown = JSON.parse(raw);
      isJson = true;
      if (typeof json === 'object' && json !== null && !Array.isArray(json)) fields = json as Record<string, unknown>;
      const result = inputLine.safeParse(json);
      if (result.success) parsed = result.data;
      else error = `invalid input: ${result.error.issues.map((i) => `${i.path.join('.') || 'line'} ${i.message}`).join('; ')}`;
    } catch (e) {
      error = `not JSON: ${(e as Error).message}`;
    }
  }
  if (!parsed) {
    // Keep what can be kept of a line that is not a valid question: its id (a number too) and language.
    const id =
      typeof fields?.id === 'string' || typeof fields?.id === 'number'
        ? String(fields.id)
        : isJson
          ? null
          : (/"id"\s*:\s*"([^"]*)"/.exec(raw)?.[1] ?? null);
    const langMatch = isJson ? fields?.lang : /"lang"\s*:\s*"([^"]*)"/.exec(raw)?.[1];
    const reply = core.composer.guidance('clarify', 'clarify', isLang(langMatch) ? langMatch : 'en');
    return { ...toOutput(id, reply), error };
  }
  const reply = await core.handle({
    platform: 'cli',
    chatId: parsed.chat !== undefined ? `${lineKey.split(':')[0]}:chat:${parsed.chat}` : `${lineKey}`,
    userId: 'cli',
    chatType: 'private',
    text: parsed.text,
    langHint: parsed.lang,
  });
  return toOutput(parsed.id, reply);
}

function toOutput(id: string | null, reply: Reply): JsonlOutput {
  return { id, text: renderText(reply), kind: reply.kind, lang: reply.lang, citations: reply.citations, source: reply.source };
}
