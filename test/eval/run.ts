/**
 * `npm run eval`: answers every question of each evaluation set with the offline core and prints
 * the pass rate per category, language and style, the confident-wrong rate (replies of kind
 * `answer` that fail their checks), and the gap between the development set and each holdout.
 * `--failures` lists what failed. Exits 1 when a set falls below its floor (test/eval/floor.ts).
 * With file arguments, only those sets are run.
 */
import { loadContent } from '../../src/content/load.ts';
import { createTestCore, testConvert } from '../helpers/core.ts';
import { type EvalSummary, evaluate, loadEvalItems, summarize, type Tally } from './evaluate.ts';
import { belowFloor, EVAL_FLOORS } from './floor.ts';

const showFailures = process.argv.includes('--failures');
const asked = process.argv.filter((a) => a.endsWith('.yaml'));
const files = asked.length > 0 ? asked : EVAL_FLOORS.map((f) => f.file);
const { core, store } = await createTestCore();
const content = await loadContent('content', 'cambodia-scam-sweep');
const articleText = content.article.blocks.map((b) => b.text).join('\n');
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
const row = (label: string, t: Tally) => `${label.padEnd(16)} ${String(t.passed).padStart(4)}/${String(t.count).padEnd(4)} ${pct(t.rate)}`;
const summaries = new Map<string, EvalSummary>();
let failed = false;

for (const file of files) {
  const results = await evaluate(core, loadEvalItems(file), articleText, testConvert());
  const summary = summarize(results);
  summaries.set(file, summary);
  console.log(`\n${file}`);
  for (const group of [summary.byCategory, summary.byLang, summary.byStyle]) {
    if (group === summary.byStyle && Object.keys(group).length <= 1) continue;
    for (const [key, t] of Object.entries(group)) console.log(row(key, t));
    console.log('-'.repeat(34));
  }
  console.log(row('total', summary.total));
  console.log(`confident-wrong  ${String(summary.confidentWrong.count).padStart(4)}      ${pct(summary.confidentWrong.rate)}`);
  if (showFailures) {
    for (const r of results.filter((x) => x.failures.length > 0)) {
      const first = r.reply.blocks.find((b) => b.type === 'paragraph');
      console.log(
        `\n✗ ${r.item.id} [${r.item.category}/${r.item.lang}${r.item.style ? `/${r.item.style}` : ''}] ${JSON.stringify(r.item.text.slice(0, 100))}\n  ${r.failures.join('; ')}\n  → ${r.reply.kind} ${r.reply.entryId ?? ''} (${r.trace}) ${(first && 'text' in first ? first.text : '').slice(0, 90)}`,
      );
    }
  }
  const floor = EVAL_FLOORS.find((f) => f.file === file);
  const below = floor ? belowFloor(floor, summary) : [];
  if (below.length > 0) {
    console.log(`below the floor set in test/eval/floor.ts: ${below.join(', ')}`);
    failed = true;
  }
}

const dev = summaries.get('test/eval/questions.yaml');
if (dev) {
  console.log('\ngap (development set minus holdout)');
  for (const [file, s] of summaries)
    if (file !== 'test/eval/questions.yaml') console.log(`  ${file}: ${((dev.total.rate - s.total.rate) * 100).toFixed(1)} points`);
}
await store.close();
process.exitCode = failed ? 1 : 0;
