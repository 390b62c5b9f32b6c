/**
 * Question understanding (#14) against the matcher it replaced, side by side in one process:
 * content load plus indexing, and per-answer latency over every evaluation question, plus a
 * 100,000-character message whose question is at the very end.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type Content, loadContent } from '../../src/content/load.ts';
import { createAnswerer } from '../../src/qa/answer.ts';
import { ReplyComposer } from '../../src/qa/compose.ts';
import { createScriptConverter } from '../../src/text/convert.ts';
import { cleanText } from '../../src/text/normalize.ts';
import { loadEvalItems } from '../eval/evaluate.ts';
import { EVAL_FLOORS } from '../eval/floor.ts';
import { createPreviousAnswerer } from './previous-matcher.ts';

const round = (n: number) => Math.round(n * 1000) / 1000;
const p = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

function time(run: () => void, times: number): { p50_ms: number; p99_ms: number } {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const s = performance.now();
    run();
    samples.push(performance.now() - s);
  }
  samples.sort((a, b) => a - b);
  return { p50_ms: round(p(samples, 0.5)), p99_ms: round(p(samples, 0.99)) };
}

export async function benchUnderstanding(rounds = 10) {
  const convert = createScriptConverter();
  const questions = EVAL_FLOORS.map((f) => f.file)
    .filter((f) => existsSync(f))
    .flatMap((f) => loadEvalItems(f).map((i) => cleanText(i.text)));

  // Each load reads and validates the files afresh; the index is built from scratch (no cache).
  const loadAndIndex = async (build: (content: Content, composer: ReplyComposer) => unknown) => {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      const content = await loadContent('content', 'cambodia-scam-sweep');
      build(content, new ReplyComposer(content, convert));
      samples.push(performance.now() - s);
    }
    return round(samples.sort((a, b) => a - b)[2] ?? 0);
  };
  const todayLoad = await loadAndIndex((c, composer) => createAnswerer(c, convert, composer));
  const previousLoad = await loadAndIndex((c, composer) => createPreviousAnswerer(c, convert, composer));

  const content = await loadContent('content', 'cambodia-scam-sweep');
  const composer = new ReplyComposer(content, convert);
  const today = createAnswerer(content, convert, composer);
  const previous = createPreviousAnswerer(content, convert, composer);
  for (const q of questions) {
    today.answerFresh({ text: q, lang: 'zh-Hant' });
    previous.answerFresh({ text: q.slice(0, 2000), lang: 'zh-Hant' });
  }
  const perAnswer = (answer: (q: string) => unknown) => {
    const samples: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const q of questions) {
        const s = performance.now();
        answer(q);
        samples.push(performance.now() - s);
      }
    }
    samples.sort((a, b) => a - b);
    return { p50_ms: round(p(samples, 0.5)), p99_ms: round(p(samples, 0.99)) };
  };
  const todayAnswer = perAnswer((q) => today.answerFresh({ text: q, lang: 'zh-Hant' }));
  // The previous matcher read only the first 2,000 characters of a message.
  const previousAnswer = perAnswer((q) => previous.answerFresh({ text: q.slice(0, 2000), lang: 'zh-Hant' }));

  const story = cleanText(`${'My cousin told me a very long story about a job offer abroad that sounded too good. '.repeat(1200)}`).slice(
    0,
    99_960,
  );
  const huge = `${story} How many people were arrested?`;
  const hugeAnswer = time(() => today.answerFresh({ text: huge, lang: 'en' }), 300);
  const hugeReply = today.answerFresh({ text: huge, lang: 'en' });

  return {
    questions: questions.length,
    content_load_and_index_ms: { today: todayLoad, previous: previousLoad, ratio: round(todayLoad / previousLoad) },
    answer: { today: todayAnswer, previous: previousAnswer, p99_ratio: round(todayAnswer.p99_ms / previousAnswer.p99_ms) },
    message_100k_question_last: { chars: huge.length, ...hugeAnswer, answered: hugeReply.reply.entryId === 'fact.arrests' },
  };
}
