/**
 * `npm run eval`: answers every question of test/eval/questions.yaml with the offline core
 * and prints the pass rate per category and in total. `--failures` lists what failed.
 * Exits 1 when the total falls below EVAL_FLOOR or an unanswerable/false-premise item fails.
 */
import { loadContent } from '../../src/content/load.ts';
import { createTestCore, testConvert } from '../helpers/core.ts';
import { evaluate, loadEvalItems, summarize } from './evaluate.ts';
import { EVAL_FLOORS } from './floor.ts';

const showFailures = process.argv.includes('--failures');
const file = process.argv.find((a) => a.endsWith('.yaml')) ?? 'test/eval/questions.yaml';
const { core, store } = await createTestCore();
const content = await loadContent('content', 'cambodia-scam-sweep');
const articleText = content.article.blocks.map((b) => b.text).join('\n');
const results = await evaluate(core, loadEvalItems(file), articleText, testConvert());
console.log(file);
await store.close();
const summary = summarize(results);
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
for (const [category, s] of Object.entries(summary.byCategory))
  console.log(`${category.padEnd(16)} ${String(s.passed).padStart(4)}/${String(s.count).padEnd(4)} ${pct(s.rate)}`);
console.log('-'.repeat(34));
for (const [lang, s] of Object.entries(summary.byLang))
  console.log(`${lang.padEnd(16)} ${String(s.passed).padStart(4)}/${String(s.count).padEnd(4)} ${pct(s.rate)}`);
console.log(
  `${'total'.padEnd(16)} ${String(summary.total.passed).padStart(4)}/${String(summary.total.count).padEnd(4)} ${pct(summary.total.rate)}`,
);
if (showFailures) {
  for (const r of results.filter((x) => x.failures.length > 0)) {
    console.log(
      `\n✗ ${r.item.id} [${r.item.category}/${r.item.lang}] ${JSON.stringify(r.item.text.slice(0, 80))}\n  ${r.failures.join('; ')}\n  → ${r.reply.kind} ${r.reply.entryId ?? ''} (${r.trace}) ${(r.reply.blocks[0] && 'text' in r.reply.blocks[0] ? r.reply.blocks[0].text : '').slice(0, 90)}`,
    );
  }
}
const floor = EVAL_FLOORS.find((f) => f.file === file);
const belowFloor =
  floor !== undefined &&
  (summary.total.rate < floor.total || Object.entries(floor.categories).some(([c, min]) => (summary.byCategory[c]?.rate ?? 1) < min));
if (belowFloor) console.log(`below the floor set in test/eval/floor.ts`);
process.exitCode = belowFloor ? 1 : 0;
