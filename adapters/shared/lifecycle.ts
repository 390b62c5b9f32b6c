/** A running platform connection, as the composition root starts, watches and stops it. */
export interface RunningTransport {
  /** Resolves when the transport stops; with the reason when the platform made it stop. */
  done: Promise<'stopped' | 'conflict' | 'unauthorized' | 'failed'>;
  /** Stops taking updates and resolves once those under way are answered. */
  stop(): Promise<void>;
  /** Whether it is connected and taking updates (readiness). */
  ready(): boolean;
}

/** Work under way (updates, interactions), so a graceful shutdown can wait for it. */
export interface InFlight {
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves when everything tracked so far has finished. */
  settled(): Promise<void>;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      running.add(work);
      void work.finally(() => running.delete(work)).catch(() => undefined);
      return work;
    },
    settled: async () => {
      await Promise.allSettled(running);
    },
  };
}

/** The `done` promise of a transport that only ever stops on request. */
export function stoppedOnRequest(): { done: Promise<'stopped'>; markStopped(): void } {
  let markStopped: () => void = () => undefined;
  const done = new Promise<'stopped'>((resolve) => {
    markStopped = () => resolve('stopped');
  });
  return { done, markStopped };
}
