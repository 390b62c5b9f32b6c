/**
 * Core benchmark: start-up, per-answer latency, throughput, memory, and the same questions
 * through a plain BM25 baseline (minisearch over the article's sentences) in the same process.
 */
import { performance } from 'node:perf_hooks';
import MiniSearch from 'minisearch';
import { pino } from 'pino';
import { loadContent } from '../../src/content/load.ts';
import { createCore } from '../../src/core/core.ts';
import { openStore } from '../../src/store/store.ts';
import { createScriptConverter } from '../../src/text/convert.ts';
import { foldForMatch } from '../../src/text/fold.ts';
import { evaluate, loadEvalItems, summarize } from '../eval/evaluate.ts';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function timings(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return {
    p50_ms: round(percentile(sorted, 50)),
    p99_ms: round(percentile(sorted, 99)),
    mean_ms: round(mean),
    per_second: Math.round(1000 / mean),
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export async function benchCore(rounds = 20) {
  const t0 = performance.now();
  const convert = createScriptConverter();
  const content = await loadContent('content', 'cambodia-scam-sweep');
  const store = await openStore('sqlite://:memory:');
  const core = createCore({
    content,
    convert,
    store,
    clock: { now: () => Date.now() },
    logger: pino({ level: 'silent' }),
    config: { contextTtlMs: 60_000 },
  });
  const startupMs = performance.now() - t0;

  const development = loadEvalItems('test/eval/questions.yaml');
  const holdout = loadEvalItems('test/eval/holdout.yaml');
  const items = [...development, ...holdout];
  const questions = items.map((i) => i.text.slice(0, 2000));
  const articleText = content.article.blocks.map((b) => b.text).join('\n');

  // Warm up, then time the pure answer path and the full handle path (with store reads/writes).
  for (const q of questions) core.answerer.answerFresh({ text: q, lang: 'zh-Hant' });
  const answerSamples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const s = performance.now();
      core.answerer.answerFresh({ text: q, lang: 'zh-Hant' });
      answerSamples.push(performance.now() - s);
    }
  }
  const handleSamples: number[] = [];
  for (let r = 0; r < 3; r++) {
    for (const [i, q] of items.entries()) {
      const s = performance.now();
      await core.handle({ platform: 'cli', chatId: `bench-${i}`, userId: 'b', chatType: 'private', text: q.text });
      handleSamples.push(performance.now() - s);
    }
  }
  const coreResults = await evaluate(core, items, articleText, convert);
  const passRate = (set: readonly unknown[]) => round(summarize(coreResults.filter((r) => set.includes(r.item))).total.rate);

  // Baseline: BM25 over sentences; its answer is the best sentence and the block it is in.
  const fold = (t: string) => foldForMatch(t, convert);
  const tokenize = (t: string) => {
    const folded = fold(t);
    const han = [...folded.matchAll(/\p{Script=Han}+/gu)].flatMap(([run]) =>
      Array.from(run).map((c, i, a) => (i + 1 < a.length ? c + a[i + 1] : c)),
    );
    return [
      ...han,
      ...folded
        .replace(/\p{Script=Han}+/gu, ' ')
        .split(/\s+/)
        .filter(Boolean),
    ];
  };
  const t1 = performance.now();
  const sentences = content.article.blocks.flatMap((b) =>
    b.text
      .split(/(?<=[\uFF0C\u3002\uFF1A])/)
      .filter((s) => s.trim().length > 1)
      .map((text, i) => ({ id: `${b.id}-${i}`, block: b.id, text })),
  );
  const baseline = new MiniSearch({ fields: ['text'], storeFields: ['block', 'text'], tokenize, processTerm: (t) => t });
  baseline.addAll(sentences);
  const baselineStartupMs = performance.now() - t1;
  const baselineSamples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const s = performance.now();
      baseline.search(q);
      baselineSamples.push(performance.now() - s);
    }
  }
  // Accuracy on the questions whose expected source paragraph is known: does the answer cite it?
  type Item = (typeof items)[number];
  const citedIn = (set: readonly Item[]) => set.filter((i) => i.expect.blocks && i.expect.kind.includes('answer'));
  const coreCites = (set: readonly Item[]) => {
    const wanted = citedIn(set);
    const ok = coreResults.filter((r) => wanted.includes(r.item) && r.reply.citations.some((c) => r.item.expect.blocks?.includes(c.block)));
    return round(ok.length / wanted.length);
  };
  const baselineCites = (set: readonly Item[]) => {
    const wanted = citedIn(set);
    const ok = wanted.filter((i) => {
      const top = baseline.search(i.text.slice(0, 2000))[0];
      return top !== undefined && (i.expect.blocks ?? []).includes(top.block as string);
    });
    return round(ok.length / wanted.length);
  };

  await store.close();
  return {
    questions: items.length,
    startup_ms: round(startupMs),
    core: {
      answer: timings(answerSamples),
      handle_with_store: timings(handleSamples),
      eval_pass_rate: { development: passRate(development), holdout: passRate(holdout) },
      cites_expected_paragraph: { development: coreCites(development), holdout: coreCites(holdout) },
    },
    baseline_bm25_sentences: {
      startup_ms: round(baselineStartupMs),
      answer: timings(baselineSamples),
      cites_expected_paragraph: { development: baselineCites(development), holdout: baselineCites(holdout) },
      note: 'minisearch BM25 over the article sentences; it can only point at a sentence, so it has no notion of not-in-article, out-of-scope or false premises',
    },
  };
}
