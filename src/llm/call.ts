import { AppError } from '../errors.ts';
import type { ChatMessage } from './prompt.ts';

// What the LLM path needs from a model client, apart from the client itself: the openai SDK
// (client.ts) is among the costliest imports and loads only when an endpoint is configured.

export interface Completion {
  text: string;
  promptTokens: number;
  completionTokens: number;
}

/** Why a call produced no text: the endpoint refused, the network failed, or it timed out. */
export class LlmCallError extends AppError {
  constructor(
    readonly kind: 'timeout' | 'refused' | 'network' | 'rate-limited',
    message: string,
    readonly status?: number,
  ) {
    super('LLM_CALL_FAILED', message);
  }
}

export interface ChatCompletionClient {
  complete(messages: ChatMessage[]): Promise<Completion>;
}
