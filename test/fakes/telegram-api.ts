/**
 * A local fake of the Telegram Bot API: POST /bot<token>/<method>, answered the way Telegram
 * answers (ok/result or ok:false/error_code/description). It checks what Telegram checks
 * (HTML entities, message length, button data), hands out queued updates through getUpdates,
 * records every call, and can be scripted to fail a method (429 with retry_after, 403, …).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Update } from 'grammy/types';
import { parseTelegramHtml } from './telegram-html.ts';

export const FAKE_BOT = {
  id: 777000111,
  is_bot: true,
  first_name: 'Fraud News',
  username: 'FraudNewsBot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  ok: boolean;
  at: number;
}

type Failure = { error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };

export interface FakeTelegram {
  apiRoot: string;
  token: string;
  calls: ApiCall[];
  /** Calls of one method that succeeded. */
  sent(method?: string): ApiCall[];
  pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): number;
  failNext(method: string, failure: Failure, times?: number): void;
  /** Waits until `count` successful calls of `method` were made (or throws after `ms`). */
  waitFor(method: string, count?: number, ms?: number): Promise<ApiCall[]>;
  admins: Set<number>;
  /** Every message to this chat fails like this from now on (403 blocked, a migrated group…). */
  failChat(chatId: number, failure: Failure): void;
  /**
   * Enforces Telegram's overall limit: more than `perSecond` messages in any second get a 429
   * with retry_after, as Telegram does. `rejected` counts them.
   */
  limitGlobalRate(perSecond: number): void;
  readonly rejected: number;
  /** Every call of `method` is answered only after `ms` (a slow Telegram, a reply "in flight"). */
  delay(method: string, ms: number): void;
  /** Calls of `method` that have arrived, answered or not. */
  arrived(method: string): number;
  close(): Promise<void>;
}

export async function startFakeTelegram(token = '123456789:TEST-token-for-the-fake-bot-api'): Promise<FakeTelegram> {
  const calls: ApiCall[] = [];
  const updates: Update[] = [];
  const failures = new Map<string, Failure[]>();
  const admins = new Set<number>();
  const chatFailures = new Map<number, Failure>();
  let globalPerSecond = Number.POSITIVE_INFINITY;
  const recentSends: number[] = [];
  let rejected = 0;
  const delays = new Map<string, number>();
  const arrivals = new Map<string, number>();
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  let nextUpdateId = 1000;
  let nextMessageId = 1;
  const notify = () => {
    for (const w of waiters) w();
  };

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, f: Failure) => reply(res, f.error_code, { ok: false, ...f });

  const checkText = (params: Record<string, unknown>): Failure | undefined => {
    const text = params.text;
    if (typeof text !== 'string' || text.length === 0) return { error_code: 400, description: 'Bad Request: message text is empty' };
    let visible = text;
    if (params.parse_mode === 'HTML') {
      const parsed = parseTelegramHtml(text);
      if (!parsed.ok) return { error_code: 400, description: `Bad Request: can't parse entities: ${parsed.error}` };
      visible = parsed.text;
    }
    if (visible.trim().length === 0) return { error_code: 400, description: 'Bad Request: message text is empty' };
    if (visible.length > 4096) return { error_code: 400, description: 'Bad Request: message is too long' };
    const keyboard = (params.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined)
      ?.inline_keyboard;
    for (const row of keyboard ?? []) {
      for (const button of row) {
        if (!button.text) return { error_code: 400, description: 'Bad Request: text buttons are unallowed in the inline keyboard' };
        if (button.callback_data !== undefined && (Buffer.byteLength(button.callback_data) > 64 || button.callback_data.length === 0)) {
          return { error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' };
        }
      }
    }
    return undefined;
  };

  const handle = async (method: string, params: Record<string, unknown>, res: ServerResponse, req: IncomingMessage) => {
    arrivals.set(method, (arrivals.get(method) ?? 0) + 1);
    const delay = delays.get(method);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const scripted = failures.get(method);
    if (scripted && scripted.length > 0) {
      const f = scripted.shift() as Failure;
      calls.push({ method, params, ok: false, at: Date.now() });
      notify();
      return fail(res, f);
    }
    const ok = (result: unknown) => {
      // A caller that hung up (a process that exited mid-request) never got the answer.
      calls.push({ method, params, ok: !res.destroyed, at: Date.now() });
      notify();
      reply(res, 200, { ok: true, result });
    };
    const bad = (f: Failure) => {
      calls.push({ method, params, ok: false, at: Date.now() });
      notify();
      fail(res, f);
    };
    switch (method) {
      case 'getMe':
        return ok(FAKE_BOT);
      case 'getUpdates': {
        const offset = Number(params.offset ?? 0);
        while (updates.length > 0 && (updates[0] as Update).update_id < offset) updates.shift();
        const timeoutMs = Math.min(Number(params.timeout ?? 0), 30) * 1000;
        if (updates.length === 0 && timeoutMs > 0) {
          await new Promise<void>((resolve) => {
            const done = () => {
              waiters.delete(done);
              clearTimeout(timer);
              resolve();
            };
            const timer = setTimeout(done, timeoutMs);
            waiters.add(done);
            req.on('close', done);
          });
        }
        if (res.destroyed) return;
        const batch = updates.filter((u) => u.update_id >= offset).slice(0, Number(params.limit ?? 100));
        return ok(batch);
      }
      case 'sendMessage':
      case 'editMessageText': {
        if (params.chat_id === undefined) return bad({ error_code: 400, description: 'Bad Request: chat_id is empty' });
        const problem = checkText(params);
        if (problem) return bad(problem);
        const chatId = Number(params.chat_id);
        const chatFailure = chatFailures.get(chatId);
        if (chatFailure) return bad(chatFailure);
        if (method === 'sendMessage' && Number.isFinite(globalPerSecond)) {
          const now = Date.now();
          while (recentSends.length > 0 && (recentSends[0] as number) <= now - 1000) recentSends.shift();
          if (recentSends.length >= globalPerSecond) {
            rejected++;
            const wait = Math.max(1, Math.ceil(((recentSends[0] as number) + 1000 - now) / 1000));
            return bad({ error_code: 429, description: `Too Many Requests: retry after ${wait}`, parameters: { retry_after: wait } });
          }
          recentSends.push(now);
        }
        return ok({
          message_id: nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: chatId < 0 ? 'supergroup' : 'private' },
          from: FAKE_BOT,
          text: params.text,
        });
      }
      case 'answerCallbackQuery':
        if (typeof params.callback_query_id !== 'string')
          return bad({ error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' });
        return ok(true);
      case 'sendChatAction':
        return ok(true);
      case 'setMyCommands': {
        const commands = params.commands as { command: string; description: string }[];
        for (const c of commands ?? []) {
          if (!/^[a-z0-9_]{1,32}$/.test(c.command)) return bad({ error_code: 400, description: 'Bad Request: BOT_COMMAND_INVALID' });
          if (!c.description || c.description.length > 256)
            return bad({ error_code: 400, description: 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID' });
        }
        return ok(true);
      }
      case 'deleteWebhook':
      case 'setWebhook':
        return ok(true);
      case 'getChatMember': {
        const userId = Number(params.user_id);
        return ok({ status: admins.has(userId) ? 'administrator' : 'member', user: { id: userId, is_bot: false, first_name: 'User' } });
      }
      default:
        return bad({ error_code: 404, description: 'Not Found: method not found' });
    }
  };

  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    // Control routes, for driving a fake that runs in another process (the bench).
    if (req.url === '/__control/push') {
      const list = JSON.parse(raw) as Update[];
      for (const u of list) updates.push(u);
      notify();
      return reply(res, 200, { ok: true });
    }
    if (req.url?.startsWith('/__control/limit/')) {
      globalPerSecond = Number(req.url.slice('/__control/limit/'.length));
      return reply(res, 200, { ok: true });
    }
    if (req.url === '/__control/stats') {
      const sends = calls.filter((c) => c.ok && c.method === 'sendMessage');
      return reply(res, 200, {
        ok: true,
        result: {
          sent: sends.length,
          rejected,
          chats: new Set(sends.map((c) => String(c.params.chat_id))).size,
          first: sends[0]?.at,
          last: sends.at(-1)?.at,
        },
      });
    }
    if (req.url?.startsWith('/__control/count/')) {
      const method = req.url.slice('/__control/count/'.length);
      return reply(res, 200, { ok: true, result: calls.filter((c) => c.ok && c.method === method).length });
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url?.split('?')[0] ?? '');
    if (!match) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[1] !== token) return reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    let params: Record<string, unknown> = {};
    try {
      params = raw ? JSON.parse(raw) : {};
    } catch {
      return reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
    }
    await handle(match[2] as string, params, res, req);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    calls,
    admins,
    sent: (method) => calls.filter((c) => c.ok && (method === undefined || c.method === method)),
    pushUpdate(update) {
      const full = { ...update, update_id: update.update_id ?? nextUpdateId++ } as Update;
      updates.push(full);
      notify();
      return full.update_id;
    },
    delay(method, ms) {
      delays.set(method, ms);
    },
    arrived: (method) => arrivals.get(method) ?? 0,
    failChat(chatId, failure) {
      chatFailures.set(chatId, failure);
    },
    limitGlobalRate(perSecond) {
      globalPerSecond = perSecond;
    },
    get rejected() {
      return rejected;
    },
    failNext(method, failure, times = 1) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array.from({ length: times }, () => failure)]);
    },
    async waitFor(method, count = 1, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const found = calls.filter((c) => c.ok && c.method === method);
        if (found.length >= count) return found;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`timed out waiting for ${count} × ${method}; calls: ${calls.map((c) => `${c.method}${c.ok ? '' : '!'}`).join(', ')}`);
    },
    close: async () => {
      notify();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
