import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Store } from '../store/store.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { foldForMatch } from '../text/fold.ts';
import type { LlmFallbackReason, LlmQuestion } from './outcome.ts';
import type { ModelAnswer } from './parse.ts';

/** A verified answer, or the reason the model's answer was not used. */
export type CachedAnswer = ModelAnswer | { rejected: LlmFallbackReason };

export interface AnswerCache {
  /** The same question (folded), in the same language, after the same answer, by the same model. */
  keyOf(question: LlmQuestion): string;
  lookup(key: string): Promise<CachedAnswer | undefined>;
  rememberAnswer(key: string, answer: ModelAnswer): Promise<void>;
  rememberRejection(key: string, reason: LlmFallbackReason): Promise<void>;
}

export interface AnswerCacheDeps {
  store: Store;
  convert: ScriptConverter;
  /** Part of the key: another model's answers are not this one's. */
  model: string;
  ttlMs: number;
}

/** How long a rejected answer is remembered: long enough to stop repeat calls, short enough to retry later. */
const REJECTION_TTL_MS = 3_600_000;
const HOT_CACHE_ENTRIES = 1000;

/**
 * A repeat of a verified answer or of a rejection makes no call. The store is shared by every
 * process and survives restarts; the in-process LRU in front of it answers hot repeats without
 * a store round trip, and forgets sooner so a rejection elsewhere expires here too.
 */
export function createAnswerCache({ store, convert, model, ttlMs }: AnswerCacheDeps): AnswerCache {
  const stored = store.namespace<CachedAnswer>('llm-cache');
  const hotTtlMs = Math.min(ttlMs, REJECTION_TTL_MS);
  const hot = new LRUCache<string, CachedAnswer>({ max: HOT_CACHE_ENTRIES, ttl: hotTtlMs });
  const remember = async (key: string, value: CachedAnswer, valueTtlMs: number) => {
    hot.set(key, value, { ttl: Math.min(valueTtlMs, REJECTION_TTL_MS) });
    await stored.set(key, value, valueTtlMs);
  };

  return {
    keyOf: (q) =>
      createHash('sha256')
        .update([model, q.lang, q.previousEntryId ?? '', foldForMatch(q.question, convert)].join('\u0000'))
        .digest('hex'),
    async lookup(key) {
      const inMemory = hot.get(key);
      if (inMemory) return inMemory;
      const value = await stored.get(key);
      if (value) hot.set(key, value);
      return value;
    },
    rememberAnswer: (key, answer) => remember(key, answer, ttlMs),
    rememberRejection: (key, reason) => remember(key, { rejected: reason }, hotTtlMs),
  };
}
