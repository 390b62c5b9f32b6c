/**
 * A local stand-in for an OpenAI-compatible endpoint: POST /v1/chat/completions answered in
 * JSON, or as server-sent events when the request asks to stream. Each test scripts the
 * replies; every request is recorded (headers, raw body, parsed body).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedReply {
  /** HTTP status; default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** The assistant message content, wrapped in a chat.completion (or streamed in chunks). */
  content?: string;
  /** A raw response body instead (malformed JSON, error objects). */
  raw?: string;
  /** Milliseconds before the response starts. */
  delayMs?: number;
  /** Sends a 200 with this much of a body, then drops the connection (a reset mid-response). */
  cutAfter?: string;
}

export interface RecordedRequest {
  headers: IncomingMessage['headers'];
  raw: string;
  body: { model: string; messages: { role: string; content: string }[]; stream?: boolean; response_format?: unknown; temperature?: number };
  /** When the request arrived (ms since the epoch). */
  at: number;
}

export interface FakeChatCompletions {
  url: string;
  requests: RecordedRequest[];
  /** Queue replies for the next requests; when the queue is empty, `fallback` answers. */
  script(...replies: ScriptedReply[]): void;
  fallback: ScriptedReply;
  close(): Promise<void>;
}

const usage = (prompt: string, completion: string) => ({
  prompt_tokens: Math.ceil(prompt.length / 2),
  completion_tokens: Math.ceil(completion.length / 2),
  total_tokens: Math.ceil(prompt.length / 2) + Math.ceil(completion.length / 2),
});

export async function startFakeChatCompletions(): Promise<FakeChatCompletions> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const fake = {
    requests,
    fallback: { status: 500, raw: JSON.stringify({ error: { message: 'no scripted reply', type: 'server_error' } }) } as ScriptedReply,
  };
  const sockets = new Set<import('node:net').Socket>();

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    let body: RecordedRequest['body'];
    try {
      body = JSON.parse(raw);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'invalid JSON body' } }));
      return;
    }
    // What the real API checks first: a model and a message list.
    if (typeof body.model !== 'string' || !Array.isArray(body.messages) || body.messages.length === 0) {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'model and messages are required' } }));
      return;
    }
    requests.push({ headers: req.headers, raw, body, at: Date.now() });
    const reply = queue.shift() ?? fake.fallback;
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    const status = reply.status ?? 200;
    const headers = { 'content-type': 'application/json', ...reply.headers };
    if (reply.cutAfter !== undefined) {
      res.writeHead(status, headers);
      res.write(reply.cutAfter, () => res.destroy());
      return;
    }
    if (reply.raw !== undefined || status !== 200) {
      res.writeHead(status, headers).end(reply.raw ?? '');
      return;
    }
    const content = reply.content ?? '';
    const prompt = body.messages.map((m) => m.content).join('');
    const id = `chatcmpl-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
      const pieces = content.match(/[\s\S]{1,12}/g) ?? [];
      const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
      send({
        id,
        object: 'chat.completion.chunk',
        created,
        model: body.model,
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      });
      for (const piece of pieces) {
        send({
          id,
          object: 'chat.completion.chunk',
          created,
          model: body.model,
          choices: [{ index: 0, delta: { content: piece }, finish_reason: null }],
        });
      }
      send({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      send({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage: usage(prompt, content) });
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(200, headers).end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
        usage: usage(prompt, content),
      }),
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}/v1`,
    script: (...replies: ScriptedReply[]) => void queue.push(...replies),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A model answer as the structured-output JSON the bot asks for. */
export function modelAnswer(answer: string, citations: { block: string; quote: string }[], status = 'answered'): string {
  return JSON.stringify({ status, answer, citations });
}
