import type { Entry } from '../content/schema.ts';
import type { Logger } from '../logger.ts';
import type { CircuitBreaker } from './breaker.ts';
import { type ChatCompletionClient, type Completion, LlmCallError } from './call.ts';
import type { LlmQuestion } from './outcome.ts';
import { buildMessages } from './prompt.ts';

export interface ModelCall {
  /** The model's completion, or undefined when the call failed (logged, and told to the breaker). */
  complete(question: LlmQuestion, log: Logger): Promise<Completion | undefined>;
}

export interface ModelCallDeps {
  client: ChatCompletionClient;
  breaker: CircuitBreaker;
  systemPrompt: string;
  /** The knowledge entries, for the previous answer a follow-up refers to. */
  entries: ReadonlyMap<string, Entry>;
}

/** One question to the model: the prompt with the chat's previous answer, the call, the breaker's record. */
export function createModelCall({ client, breaker, systemPrompt, entries }: ModelCallDeps): ModelCall {
  return {
    async complete(q, log) {
      const previous = q.previousEntryId ? entries.get(q.previousEntryId) : undefined;
      const messages = buildMessages(systemPrompt, {
        question: q.question,
        lang: q.lang,
        understood: q.understood,
        previousAnswer: previous?.answer[q.lang],
      });
      let completion: Completion;
      try {
        completion = await client.complete(messages);
      } catch (error) {
        const failure = error instanceof LlmCallError ? error : new LlmCallError('network', String(error));
        breaker.failure(failure.kind === 'timeout' ? 'timeout' : 'error');
        log.warn(
          { reason: 'call-failed', kind: failure.kind, status: failure.status, breaker: breaker.state },
          'llm call failed; sending the offline answer',
        );
        return undefined;
      }
      breaker.success();
      return completion;
    },
  };
}
