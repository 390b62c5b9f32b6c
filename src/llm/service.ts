import type { LlmConfig } from '../config.ts';
import type { Content } from '../content/load.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../protocol/clock.ts';
import type { ReplyComposer } from '../qa/compose.ts';
import type { Store } from '../store/store.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { createAnswerAcceptance } from './acceptance.ts';
import { createAnswerCache } from './answer-cache.ts';
import { CircuitBreaker } from './breaker.ts';
import type { ChatCompletionClient } from './call.ts';
import { createUsageLimits } from './limits.ts';
import { createModelCall } from './model-call.ts';
import type { LlmOutcome, LlmQuestion } from './outcome.ts';
import { buildSystemPrompt } from './prompt.ts';
import { createLlmReplyBuilder } from './reply.ts';
import { createVerifier } from './verify.ts';

export type { LlmFallbackReason, LlmOutcome, LlmQuestion } from './outcome.ts';

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

/**
 * The LLM path, composed: a cached answer or rejection first; then the limits and the breaker
 * decide whether a call may go out; the model's answer is verified before it becomes a reply.
 */
export function createLlmService(deps: LlmServiceDeps): LlmService {
  const { config, content, convert, composer, store, clock, logger, client } = deps;
  const systemPrompt = buildSystemPrompt(content);
  const breaker = new CircuitBreaker(clock, config.breakerThreshold, config.breakerCooldownMs);
  const cache = createAnswerCache({ store, convert, model: config.model, ttlMs: config.cacheTtlMs });
  const limits = createUsageLimits({ store, clock, config });
  const model = createModelCall({ client, breaker, systemPrompt, entries: composer.entries });
  const accept = createAnswerAcceptance({ verifier: createVerifier(content, convert) });
  const toReply = createLlmReplyBuilder({ content, convert, composer });

  async function answer(q: LlmQuestion): Promise<LlmOutcome> {
    const log = logger.child({ platform: q.platform, chat: q.chatId });
    const key = cache.keyOf(q);
    const cached = await cache.lookup(key);
    if (cached && 'rejected' in cached) return { fallback: cached.rejected };
    if (cached) return { reply: toReply(cached, q.lang), cached: true };

    const refusal = await limits.refusal(q);
    if (refusal) return refusal;
    if (!breaker.allow()) return { fallback: 'breaker-open' };
    await limits.countCall(q);

    const completion = await model.complete(q, log);
    if (!completion) return { fallback: 'call-failed' };
    const tokens = completion.promptTokens + completion.completionTokens;
    await limits.countTokens(tokens);

    const verdict = accept(completion.text, q, log);
    if (!verdict.accepted) {
      if (verdict.remember) await cache.rememberRejection(key, verdict.fallback);
      return { fallback: verdict.fallback, tokens };
    }
    await cache.rememberAnswer(key, verdict.answer);
    return { reply: toReply(verdict.answer, q.lang), cached: false, tokens };
  }

  return { answer, systemPrompt, breaker };
}
