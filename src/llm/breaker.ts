import type { Clock } from '../protocol/clock.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Stops calling a failing endpoint: after `threshold` failures in a row (or one timeout, which
 * already cost a user the full wait) it opens for `cooldownMs`; then one trial call decides.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(
    private readonly clock: Clock,
    private readonly threshold: number,
    private readonly cooldownMs: number,
  ) {}

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.clock.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a call may go out now; in half-open state only one trial at a time. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  failure(kind: 'timeout' | 'error'): void {
    this.trialInFlight = false;
    this.failures++;
    if (kind === 'timeout' || this.failures >= this.threshold || this.openedAt !== undefined) this.openedAt = this.clock.now();
  }
}
