import type { Transformer } from 'grammy';
import type { TelegramConfig } from '../../src/config.ts';

/**
 * Paces outgoing messages under Telegram's limits: overall per second, one chat per second,
 * a group per minute. Written here rather than taken from @grammyjs/transformer-throttler
 * because that plugin's Bottleneck scheduling adds ~10–30 ms to every call even when no
 * limit is near (measured in `npm run bench`); this pacer adds nothing until a limit is reached.
 */
/** The one-second window as the pacer counts it: a little longer than Telegram's. */
export const SECOND_WITH_GUARD = 1050;

export class Pacer {
  private readonly global: number[] = [];
  private readonly lastInChat = new Map<string, number>();
  private readonly groupWindow = new Map<string, number[]>();
  private sweeps = 0;

  constructor(
    private readonly rate: TelegramConfig['rate'],
    private readonly now: () => number = Date.now,
  ) {}

  /** Reserves the next slot for a message to `chatId`; returns how long to wait for it (ms). */
  reserve(chatId: string): number {
    const now = this.now();
    let at = now;
    // One chat: at most chatPerSecond messages a second.
    const last = this.lastInChat.get(chatId);
    if (last !== undefined) at = Math.max(at, last + 1000 / this.rate.chatPerSecond);
    // Groups (negative ids): at most groupPerMinute in any 60 s.
    const isGroup = chatId.startsWith('-');
    const window = isGroup ? prune(this.groupWindow.get(chatId) ?? [], at - 60_000) : [];
    if (isGroup && window.length >= this.rate.groupPerMinute)
      at = Math.max(at, (window[window.length - this.rate.groupPerMinute] as number) + 60_000);
    // Everyone: at most globalPerSecond in any second (plus a guard band: timers fire late and
    // requests arrive with jitter, and each 429 would stall a message for a whole second).
    prune(this.global, at - SECOND_WITH_GUARD);
    if (this.global.length >= this.rate.globalPerSecond)
      at = Math.max(at, (this.global[this.global.length - this.rate.globalPerSecond] as number) + SECOND_WITH_GUARD);
    insertSorted(this.global, at);
    this.lastInChat.set(chatId, at);
    if (isGroup) {
      insertSorted(window, at);
      this.groupWindow.set(chatId, window);
    }
    if (++this.sweeps % 1000 === 0) this.sweep(now);
    return at - now;
  }

  /** Forgets chats idle for a minute, so memory stays bounded however many chats there are. */
  private sweep(now: number): void {
    for (const [chat, last] of this.lastInChat) if (last < now - 60_000) this.lastInChat.delete(chat);
    for (const [chat, times] of this.groupWindow) if ((times.at(-1) ?? 0) < now - 60_000) this.groupWindow.delete(chat);
  }
}

function prune(times: number[], before: number): number[] {
  while (times.length > 0 && (times[0] as number) <= before) times.shift();
  return times;
}

function insertSorted(times: number[], at: number): void {
  let i = times.length;
  while (i > 0 && (times[i - 1] as number) > at) i--;
  times.splice(i, 0, at);
}

const PACED_METHODS = new Set(['sendMessage', 'editMessageText', 'sendPhoto', 'sendDocument', 'copyMessage', 'forwardMessage']);

export function pacing(rate: TelegramConfig['rate'], sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Transformer {
  const pacer = new Pacer(rate);
  return async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: number | string } | undefined)?.chat_id;
    if (PACED_METHODS.has(method) && chatId !== undefined) {
      const wait = pacer.reserve(String(chatId));
      if (wait > 0) await sleep(wait);
    }
    return prev(method, payload, signal);
  };
}
