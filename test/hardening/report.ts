/**
 * `npm run hardening`: runs the whole catalogue and prints a table — case, expected, observed,
 * pass/fail — and a last line `N passed, N failed` (exit code 1 when anything failed).
 */
import { type CaseResult, runCase } from './case.ts';
import { CATALOGUE } from './catalogue.ts';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const results: (CaseResult & { area: string })[] = [];
for (const { area, cases } of CATALOGUE) {
  for (const c of cases) {
    const timeout = new Promise<CaseResult>((resolve) =>
      setTimeout(
        () => resolve({ name: c.name, expected: c.expected, observed: 'FAILED: timed out', passed: false }),
        c.timeoutMs ?? 20_000,
      ).unref(),
    );
    results.push({ area, ...(await Promise.race([runCase(c), timeout])) });
  }
}
if (unhandled.length > 0)
  results.push({
    area: 'process',
    name: 'no unhandled rejection during the run',
    expected: 'none',
    observed: `${unhandled.length}: ${String(unhandled[0])}`,
    passed: false,
  });

const cell = (text: string, width: number) => {
  const flat = text.replace(/\s+/g, ' ');
  return (flat.length > width ? `${flat.slice(0, width - 1)}…` : flat).padEnd(width);
};
const widths = { area: 17, name: 52, expected: 46, observed: 46 };
const line = (a: string, n: string, e: string, o: string, r: string) =>
  `${cell(a, widths.area)} | ${cell(n, widths.name)} | ${cell(e, widths.expected)} | ${cell(o, widths.observed)} | ${r}`;
process.stdout.write(`${line('area', 'case', 'expected', 'observed', 'result')}\n`);
process.stdout.write(`${'-'.repeat(widths.area + widths.name + widths.expected + widths.observed + 16)}\n`);
for (const r of results) process.stdout.write(`${line(r.area, r.name, r.expected, r.observed, r.passed ? 'pass' : 'FAIL')}\n`);
const passed = results.filter((r) => r.passed).length;
process.stdout.write(`${passed} passed, ${results.length - passed} failed\n`);
process.exit(results.length === passed ? 0 : 1);
