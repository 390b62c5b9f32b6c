import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { LlmConfig } from '../config.ts';
import type { Content } from '../content/load.ts';
import type { UiKey } from '../content/ui-schema.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../protocol/clock.ts';
import type { Reply } from '../protocol/reply.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import type { Store } from '../store/store.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { foldForMatch, verbatimIn } from '../text/fold.ts';
import type { Lang } from '../text/script.ts';
import { CircuitBreaker } from './breaker.ts';
import { type ChatCompletionClient, LlmCallError } from './call.ts';
import { type ModelAnswer, parseModelAnswer } from './parse.ts';
import { buildMessages, buildSystemPrompt } from './prompt.ts';
import { createVerifier } from './verify.ts';

export interface LlmQuestion {
  question: string;
  /** What the core understood of it (kind of question, subjects), attached for the model. */
  understood?: string;
  lang: Lang;
  platform: string;
  chatId: string;
  userId: string;
  previousEntryId?: string;
}

export type LlmFallbackReason =
  | 'breaker-open'
  | 'rate-limited'
  | 'budget-exhausted'
  | 'call-failed'
  | 'unparseable'
  | 'not-in-article'
  | 'unverified';

/** Either a verified reply to send, or why the offline answer goes out instead. */
/** `tokens`: what a model call cost (also when its answer was then rejected). */
export type LlmOutcome =
  | { reply: Reply; cached: boolean; tokens?: number }
  | { fallback: LlmFallbackReason; notice?: UiKey; tokens?: number };

export interface LlmService {
  answer(question: LlmQuestion): Promise<LlmOutcome>;
  readonly systemPrompt: string;
  readonly breaker: CircuitBreaker;
}

export interface LlmServiceDeps {
  config: LlmConfig;
  content: Content;
  convert: ScriptConverter;
  composer: ReplyComposer;
  store: Store;
  clock: Clock;
  logger: Logger;
  client: ChatCompletionClient;
}

const HOUR_MS = 3_600_000;
/** How long a rejected answer is remembered: long enough to stop repeat calls, short enough to retry later. */
const REJECTION_TTL_MS = HOUR_MS;
const HOT_CACHE_ENTRIES = 1000;
const DAY_MS = 86_400_000;

export function createLlmService(deps: LlmServiceDeps): LlmService {
  const { config, content, convert, composer, store, clock, logger, client } = deps;
  const blockText = new Map(content.article.blocks.map((b) => [b.id, b.text]));
  const systemPrompt = buildSystemPrompt(content);
  const verifier = createVerifier(content, convert);
  const breaker = new CircuitBreaker(clock, config.breakerThreshold, config.breakerCooldownMs);
  // A verified answer, or the reason the model's answer was not used: a repeat of either makes no
  // call. The store is shared by every process and survives restarts; the in-process LRU in
  // front of it answers hot repeats without a store round trip.
  type Cached = ModelAnswer | { rejected: LlmFallbackReason };
  const cache = store.namespace<Cached>('llm-cache');
  const hot = new LRUCache<string, Cached>({ max: HOT_CACHE_ENTRIES, ttl: Math.min(config.cacheTtlMs, REJECTION_TTL_MS) });
  const lookup = async (key: string): Promise<Cached | undefined> => {
    const inMemory = hot.get(key);
    if (inMemory) return inMemory;
    const stored = await cache.get(key);
    if (stored) hot.set(key, stored);
    return stored;
  };
  const remember = async (key: string, value: Cached, ttlMs: number) => {
    hot.set(key, value, { ttl: Math.min(ttlMs, REJECTION_TTL_MS) });
    await cache.set(key, value, ttlMs);
  };
  const counters = store.namespace<number>('llm-usage');

  const cacheKey = (q: LlmQuestion) =>
    createHash('sha256')
      .update([config.model, q.lang, q.previousEntryId ?? '', foldForMatch(q.question, convert)].join('\u0000'))
      .digest('hex');

  /** Fixed-window counters in the store, shared by every process that shares the store. */
  const bump = async (key: string, by: number, windowMs: number): Promise<number> => {
    const windowKey = `${key}:${Math.floor(clock.now() / windowMs)}`;
    const next = ((await counters.get(windowKey)) ?? 0) + by;
    await counters.set(windowKey, next, windowMs);
    return next;
  };
  const read = async (key: string, windowMs: number) => (await counters.get(`${key}:${Math.floor(clock.now() / windowMs)}`)) ?? 0;

  const toReply = (answer: ModelAnswer, lang: Lang): Reply => {
    // The model may quote in another script: the reply carries the article's exact characters.
    const citations = answer.citations.map((c) => ({
      block: c.block,
      quote: verbatimIn(blockText.get(c.block) ?? '', c.quote, convert) ?? c.quote,
    }));
    return {
      kind: 'answer',
      lang,
      blocks: [
        { type: 'notice', text: composer.text('llmLabel', lang) },
        { type: 'paragraph', text: answer.answer },
        ...citations.slice(0, 2).map((c) => composer.quoteBlock(c, lang)),
      ],
      citations: composer.citations(citations, lang),
      suggestions: composer.defaultSuggestions(lang),
      source: 'llm',
    };
  };

  async function answer(q: LlmQuestion): Promise<LlmOutcome> {
    const log = logger.child({ platform: q.platform, chat: q.chatId });
    const key = cacheKey(q);
    const cached = await lookup(key);
    if (cached && 'rejected' in cached) return { fallback: cached.rejected };
    if (cached) return { reply: toReply(cached, q.lang), cached: true };
    const reject = async (reason: LlmFallbackReason): Promise<LlmOutcome> => {
      await remember(key, { rejected: reason }, Math.min(config.cacheTtlMs, REJECTION_TTL_MS));
      return { fallback: reason };
    };

    if ((await read(`tokens`, DAY_MS)) >= config.dailyTokenBudget) return { fallback: 'budget-exhausted', notice: 'llmBudgetExhausted' };
    const [userCount, chatCount] = await Promise.all([
      read(`user:${q.platform}:${q.userId}`, HOUR_MS),
      read(`chat:${q.platform}:${q.chatId}`, HOUR_MS),
    ]);
    if (userCount >= config.userHourlyLimit || chatCount >= config.chatHourlyLimit)
      return { fallback: 'rate-limited', notice: 'llmRateLimited' };
    if (!breaker.allow()) return { fallback: 'breaker-open' };
    await Promise.all([bump(`user:${q.platform}:${q.userId}`, 1, HOUR_MS), bump(`chat:${q.platform}:${q.chatId}`, 1, HOUR_MS)]);

    const previous = q.previousEntryId ? composer.entries.get(q.previousEntryId) : undefined;
    const messages = buildMessages(systemPrompt, {
      question: q.question,
      lang: q.lang,
      understood: q.understood,
      previousAnswer: previous?.answer[q.lang],
    });
    let completion: Awaited<ReturnType<ChatCompletionClient['complete']>>;
    try {
      completion = await client.complete(messages);
    } catch (error) {
      const failure = error instanceof LlmCallError ? error : new LlmCallError('network', String(error));
      breaker.failure(failure.kind === 'timeout' ? 'timeout' : 'error');
      log.warn(
        { reason: 'call-failed', kind: failure.kind, status: failure.status, breaker: breaker.state },
        'llm call failed; sending the offline answer',
      );
      return { fallback: 'call-failed' };
    }
    breaker.success();
    const tokens = completion.promptTokens + completion.completionTokens;
    await bump('tokens', tokens, DAY_MS);

    const parsed = parseModelAnswer(completion.text);
    if (!parsed) {
      log.warn(
        { reason: 'unparseable', sample: completion.text.slice(0, 200) },
        'llm answer is not the expected JSON; sending the offline answer',
      );
      return { fallback: 'unparseable', tokens };
    }
    if (parsed.status === 'not_in_article') {
      log.info({ reason: 'not-in-article' }, 'llm says the article does not cover it; sending the offline answer');
      return { ...(await reject('not-in-article')), tokens };
    }
    const verdict = verifier.verify(parsed, { question: q.question, lang: q.lang });
    if (!verdict.ok) {
      log.warn({ reason: 'unverified', problems: verdict.reasons }, 'llm answer failed verification; sending the offline answer');
      return { ...(await reject('unverified')), tokens };
    }
    await remember(key, verdict.answer, config.cacheTtlMs);
    return { reply: toReply(verdict.answer, q.lang), cached: false, tokens };
  }

  return { answer, systemPrompt, breaker };
}
