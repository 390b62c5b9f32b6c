import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, HttpError, InputFile } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramHttp } from '../../adapters/telegram/api-fetch.ts';

const TOKEN = '123456:TEST-token-for-http';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function server(handler: Parameters<typeof createServer>[1]) {
  const srv = createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => srv.close(() => r())));
  srv.on('connection', (socket) => cleanups.push(async () => void socket.destroy()));
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

function apiAt(apiRoot: string, timeoutSeconds = 5) {
  const http = createTelegramHttp();
  cleanups.push(() => http.close());
  return new Api(TOKEN, { apiRoot, timeoutSeconds, fetch: http.fetch as never });
}

describe("the Bot API HTTP client (undici under grammY's API client)", () => {
  it('posts JSON and returns what the Bot API answers, refusals included', async () => {
    const seen: { url?: string; type?: string; body: string }[] = [];
    const root = await server((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url, type: req.headers['content-type'], body });
        res.setHeader('content-type', 'application/json');
        if (req.url?.endsWith('/sendMessage'))
          res.end(JSON.stringify({ ok: true, result: { message_id: 7, date: 0, chat: { id: 1, type: 'private' } } }));
        else res.writeHead(400).end(JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: chat not found' }));
      });
    });
    const api = apiAt(root);
    expect((await api.sendMessage(1, '<b>hi</b>', { parse_mode: 'HTML' })).message_id).toBe(7);
    expect(seen[0]).toMatchObject({ url: `/bot${TOKEN}/sendMessage`, type: 'application/json' });
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({ chat_id: 1, text: '<b>hi</b>', parse_mode: 'HTML' });
    await expect(api.sendChatAction(1, 'typing')).rejects.toMatchObject({ error_code: 400, description: 'Bad Request: chat not found' });
  });

  it('uploads a file as multipart form data', async () => {
    let received = '';
    const root = await server((req, res) => {
      req.on('data', (c) => (received += c));
      req.on('end', () => res.end(JSON.stringify({ ok: true, result: { message_id: 8, date: 0, chat: { id: 1, type: 'private' } } })));
    });
    await apiAt(root).sendDocument(1, new InputFile(Buffer.from('article text'), 'article.txt'));
    expect(received).toMatch(/content-disposition:form-data;name="\w+";filename=article\.txt/);
    expect(received).toContain('article text');
  });

  it('an unreachable Bot API is a grammY HttpError (network), not a crash', async () => {
    const root = await server(() => undefined);
    const port = new URL(root).port;
    await cleanups.splice(0, 1)[0]?.();
    const error = await apiAt(`http://127.0.0.1:${port}`)
      .getMe()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });

  it('a Bot API that never answers times out as an HttpError', async () => {
    const root = await server(() => undefined);
    const error = await apiAt(root, 1)
      .getMe()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
  });
});
