import { Readable } from 'node:stream';
import { Agent, request } from 'undici';

/** The slice of `fetch` grammY's API client uses: a POST with a JSON or multipart body, read as JSON. */
type ApiFetch = (
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; signal?: AbortSignal },
) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

export interface TelegramHttp {
  fetch: ApiFetch;
  close(): Promise<void>;
}

/**
 * The HTTP client grammY sends Bot API calls through: undici's `request` over a keep-alive
 * pool. grammY's default (node-fetch) spent more CPU per call than the whole rest of the bot
 * (measured in `npm run bench`: about 2.5× the updates per second of the default).
 * undici is Node's own HTTP client and already a dependency of discord.js.
 */
export function createTelegramHttp(options: { keepAliveMs?: number } = {}): TelegramHttp {
  const dispatcher = new Agent({ keepAliveTimeout: options.keepAliveMs ?? 30_000 });
  const fetch: ApiFetch = async (url, init) => {
    const response = await request(url, {
      method: (init.method ?? 'GET') as 'GET' | 'POST',
      headers: init.headers,
      body: requestBody(init.body),
      signal: init.signal,
      dispatcher,
    });
    return {
      ok: response.statusCode >= 200 && response.statusCode < 300,
      status: response.statusCode,
      json: () => response.body.json(),
      text: () => response.body.text(),
    };
  };
  return { fetch, close: () => dispatcher.close() };
}

/** grammY passes a string (JSON) or an async iterable of chunks (multipart upload, e.g. a file). */
function requestBody(body: unknown): string | Readable | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Readable) return body;
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') return Readable.from(body as AsyncIterable<Uint8Array>);
  return String(body);
}
