import { describe, expect, it } from 'vitest';
import { runCase } from './case.ts';
import { CATALOGUE } from './catalogue.ts';

for (const { area, cases } of CATALOGUE) {
  describe(`hardening: ${area}`, () => {
    for (const c of cases) {
      it(
        `${c.name} → ${c.expected}`,
        async () => {
          const result = await runCase(c);
          expect(result.passed, result.observed).toBe(true);
        },
        c.timeoutMs ?? 20_000,
      );
    }
  });
}

it('the catalogue holds at least 60 cases with unique names', () => {
  const names = CATALOGUE.flatMap((a) => a.cases.map((c) => c.name));
  expect(new Set(names).size).toBe(names.length);
  expect(names.length).toBeGreaterThanOrEqual(60);
});
