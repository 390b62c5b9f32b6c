import OpenAI from 'openai';
import type { LlmConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { type ChatCompletionClient, type Completion, LlmCallError } from './call.ts';
import { ANSWER_JSON_SCHEMA, type ChatMessage } from './prompt.ts';

/** Longest Retry-After honoured: beyond it the user is better served offline at once. */
const MAX_RETRY_AFTER_MS = 10_000;

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The openai SDK with explicit limits: its own retries are off (defaults: 2 retries, 10-minute
 * timeout) and replaced by a loop that retries 429 and 5xx with backoff, honours Retry-After,
 * and never lets one question wait longer than the configured timeout in total.
 */
export function createChatCompletionClient(config: LlmConfig, logger: Logger, sleep: Sleep = realSleep): ChatCompletionClient {
  const openai = new OpenAI({
    apiKey: config.apiKey ?? 'not-needed-for-local-servers',
    baseURL: config.baseUrl,
    timeout: config.timeoutMs,
    maxRetries: 0,
    logLevel: 'off',
  });

  return {
    async complete(messages) {
      const deadline = Date.now() + config.timeoutMs;
      const signal = AbortSignal.timeout(config.timeoutMs);
      for (let attempt = 0; ; attempt++) {
        try {
          return await requestCompletion(openai, config, messages, signal);
        } catch (error) {
          const failure = classify(error);
          const retryable = failure.kind === 'rate-limited' || (failure.status !== undefined && failure.status >= 500);
          const wait = retryDelay(error, attempt);
          if (!retryable || attempt >= config.maxRetries || wait > MAX_RETRY_AFTER_MS || Date.now() + wait >= deadline) throw failure;
          logger.info({ attempt: attempt + 1, status: failure.status, waitMs: wait }, 'llm call failed; retrying');
          await sleep(wait);
        }
      }
    },
  };
}

/** One request, streamed or not as configured. */
async function requestCompletion(openai: OpenAI, config: LlmConfig, messages: ChatMessage[], signal: AbortSignal): Promise<Completion> {
  const responseFormat = responseFormatOf(config);
  const base = {
    model: config.model,
    messages,
    temperature: config.temperature,
    ...(responseFormat ? { response_format: responseFormat } : {}),
  };
  if (!config.stream) {
    const r = await openai.chat.completions.create(base as OpenAI.ChatCompletionCreateParamsNonStreaming, { signal });
    return {
      text: r.choices[0]?.message?.content ?? '',
      promptTokens: r.usage?.prompt_tokens ?? 0,
      completionTokens: r.usage?.completion_tokens ?? 0,
    };
  }
  const stream = await openai.chat.completions.create(
    { ...(base as OpenAI.ChatCompletionCreateParamsStreaming), stream: true, stream_options: { include_usage: true } },
    { signal },
  );
  return collectStream(stream);
}

function responseFormatOf(config: LlmConfig) {
  if (config.responseFormat === 'json_schema') return { type: 'json_schema' as const, json_schema: ANSWER_JSON_SCHEMA };
  if (config.responseFormat === 'json_object') return { type: 'json_object' as const };
  return undefined;
}

/** Streamed text is collected whole and verified before anyone sees it. */
async function collectStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<Completion> {
  let text = '';
  let promptTokens = 0;
  let completionTokens = 0;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) {
      promptTokens = chunk.usage.prompt_tokens;
      completionTokens = chunk.usage.completion_tokens;
    }
  }
  return { text, promptTokens, completionTokens };
}

function classify(error: unknown): LlmCallError {
  if (
    error instanceof OpenAI.APIConnectionTimeoutError ||
    error instanceof OpenAI.APIUserAbortError ||
    (error as Error)?.name === 'TimeoutError'
  ) {
    return new LlmCallError('timeout', 'the model endpoint did not answer in time');
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const kind = error.status === 429 ? 'rate-limited' : 'refused';
    return new LlmCallError(kind, `the model endpoint answered ${error.status}`, error.status);
  }
  if (error instanceof OpenAI.APIConnectionError) return new LlmCallError('network', 'cannot reach the model endpoint');
  return new LlmCallError('network', (error as Error)?.message ?? 'unknown failure');
}

/** Retry-After (seconds or an HTTP date) when given, else exponential backoff from 500 ms. */
function retryDelay(error: unknown, attempt: number): number {
  const headers = error instanceof OpenAI.APIError ? error.headers : undefined;
  const ms = headers?.get('retry-after-ms');
  if (ms && !Number.isNaN(Number(ms))) return Number(ms);
  const after = headers?.get('retry-after');
  if (after) {
    const seconds = Number(after);
    return Number.isNaN(seconds) ? Math.max(0, Date.parse(after) - Date.now()) : seconds * 1000;
  }
  return Math.min(500 * 2 ** attempt, 4000);
}
