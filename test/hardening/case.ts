/**
 * The hardening catalogue: each case sends one hostile input or injects one fault through the
 * real adapters (against the fake platforms), the CLI or the core, and states what must happen.
 * `npm run hardening` prints them as a table; `npm test` runs them as tests.
 */
export interface HardeningCase {
  /** Short, unique: "telegram: 100 KB message". */
  name: string;
  /** What must happen, in a few words: "one clear reply, valid HTML, no crash". */
  expected: string;
  /**
   * Runs the case and returns what was observed, in a few words. Throws (an assertion error)
   * when the observed behaviour is not the expected one.
   */
  run(): Promise<string>;
  /** Slow cases (processes, load) get more time. */
  timeoutMs?: number;
}

export interface CaseResult {
  name: string;
  expected: string;
  observed: string;
  passed: boolean;
}

export async function runCase(c: HardeningCase): Promise<CaseResult> {
  try {
    const observed = await c.run();
    return { name: c.name, expected: c.expected, observed, passed: true };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { name: c.name, expected: c.expected, observed: `FAILED: ${message}`, passed: false };
  }
}
