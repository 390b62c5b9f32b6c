import type { LlmConfig } from '../config.ts';
import type { UiKey } from '../content/ui-schema.ts';
import type { Clock } from '../protocol/clock.ts';
import type { Store } from '../store/store.ts';
import type { LlmQuestion } from './outcome.ts';

/** A question the limits keep from the model, with the notice that tells the user why. */
export type LimitRefusal = { fallback: 'budget-exhausted' | 'rate-limited'; notice: UiKey };

export interface UsageLimits {
  /** Why this question may not go to the model now; undefined when it may. */
  refusal(question: Asker): Promise<LimitRefusal | undefined>;
  /** Counts a call against the asker's and the chat's hourly limits. */
  countCall(question: Asker): Promise<void>;
  /** Counts what a call cost against the daily token budget. */
  countTokens(tokens: number): Promise<void>;
}

type Asker = Pick<LlmQuestion, 'platform' | 'chatId' | 'userId'>;

export interface UsageLimitsDeps {
  store: Store;
  clock: Clock;
  config: Pick<LlmConfig, 'userHourlyLimit' | 'chatHourlyLimit' | 'dailyTokenBudget'>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Per-user and per-chat hourly calls and a daily token budget, as fixed windows in the store. */
export function createUsageLimits({ store, clock, config }: UsageLimitsDeps): UsageLimits {
  const counters = createWindowCounters(store, clock);
  const userKey = (q: Asker) => `user:${q.platform}:${q.userId}`;
  const chatKey = (q: Asker) => `chat:${q.platform}:${q.chatId}`;

  return {
    async refusal(q) {
      if ((await counters.read('tokens', DAY_MS)) >= config.dailyTokenBudget)
        return { fallback: 'budget-exhausted', notice: 'llmBudgetExhausted' };
      const [userCount, chatCount] = await Promise.all([counters.read(userKey(q), HOUR_MS), counters.read(chatKey(q), HOUR_MS)]);
      if (userCount >= config.userHourlyLimit || chatCount >= config.chatHourlyLimit)
        return { fallback: 'rate-limited', notice: 'llmRateLimited' };
      return undefined;
    },
    async countCall(q) {
      await Promise.all([counters.bump(userKey(q), 1, HOUR_MS), counters.bump(chatKey(q), 1, HOUR_MS)]);
    },
    async countTokens(tokens) {
      await counters.bump('tokens', tokens, DAY_MS);
    },
  };
}

/** Fixed-window counters in the store, shared by every process that shares the store. */
function createWindowCounters(store: Store, clock: Clock) {
  const counters = store.namespace<number>('llm-usage');
  const windowKey = (key: string, windowMs: number) => `${key}:${Math.floor(clock.now() / windowMs)}`;
  return {
    read: async (key: string, windowMs: number): Promise<number> => (await counters.get(windowKey(key, windowMs))) ?? 0,
    async bump(key: string, by: number, windowMs: number): Promise<number> {
      const current = windowKey(key, windowMs);
      const next = ((await counters.get(current)) ?? 0) + by;
      await counters.set(current, next, windowMs);
      return next;
    },
  };
}
