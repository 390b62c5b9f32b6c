/**
 * The LLM path's own overhead, without the model's time: prompt building, verification and
 * cache lookups; prompt size per question; and a cached repeat answered with no call.
 */
import { performance } from 'node:perf_hooks';
import { loadContent } from '../../src/content/load.ts';
import { buildMessages, buildSystemPrompt, estimateTokens } from '../../src/llm/prompt.ts';
import { createVerifier } from '../../src/llm/verify.ts';
import { modelAnswer, startFakeChatCompletions } from '../fakes/chat-completions-server.ts';
import { testConvert } from '../helpers/core.ts';
import { createLlmCore } from '../helpers/llm-core.ts';

const round = (n: number) => Math.round(n * 1000) / 1000;
function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { p50_ms: round(at(0.5)), p99_ms: round(at(0.99)) };
}

const QUESTIONS = [
  'Explain simply why Cambodia became a hotspot for scam compounds',
  'Explain simply what the working group from China did',
  '简单解释一下为什么诈骗园区会出现在柬埔寨',
  '用白話解釋第二條建議是什麼意思',
  'What does this mean for me as an ordinary person?',
];

export async function benchLlm(rounds = 200) {
  const content = await loadContent('content', 'cambodia-scam-sweep');
  const convert = testConvert();
  const systemPrompt = buildSystemPrompt(content);
  const verifier = createVerifier(content, convert);
  const answer = JSON.parse(
    modelAnswer(
      'According to the article, Cambodia became a hotspot because of its geographical location, economic conditions and policy environment.',
      [{ block: 'p2', quote: '由于其地理位置、經濟狀況以及政策環境等因素' }],
    ),
  );

  const prompt: number[] = [];
  const verify: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of QUESTIONS) {
      let s = performance.now();
      buildMessages(systemPrompt, { question: q, lang: 'en' });
      prompt.push(performance.now() - s);
      s = performance.now();
      verifier.verify(answer, { question: q, lang: 'en' });
      verify.push(performance.now() - s);
    }
  }

  const fake = await startFakeChatCompletions();
  const { core } = await createLlmCore(fake, { LLM_USER_HOURLY_LIMIT: '100000', LLM_CHAT_HOURLY_LIMIT: '100000' });
  const first: number[] = [];
  for (const q of QUESTIONS) {
    // An answer in the question's language, so it passes verification and is cached.
    fake.fallback = {
      content: /[\u4e00-\u9fff]/.test(q)
        ? modelAnswer(q.includes('简') ? '据文章，柬埔寨由于地理位置等因素成为高发地。' : '據文章，第二條建議是提高公眾防范意識。', [
            { block: 'p2', quote: '由于其地理位置' },
          ])
        : JSON.stringify(answer),
    };
    const s = performance.now();
    await core.handle({ platform: 'cli', chatId: 'bench', userId: 'bench', chatType: 'private', text: q });
    first.push(performance.now() - s);
  }
  const llm = core.llm;
  if (!llm) throw new Error('LLM not configured');
  const langOf = (q: string) =>
    (/[\u4e00-\u9fff]/.test(q) ? (q.includes('简') ? 'zh-Hans' : 'zh-Hant') : 'en') as 'en' | 'zh-Hans' | 'zh-Hant';
  for (const q of QUESTIONS) {
    fake.fallback = {
      content:
        langOf(q) === 'en'
          ? JSON.stringify(answer)
          : modelAnswer(
              langOf(q) === 'zh-Hans' ? '据文章，柬埔寨由于地理位置等因素成为高发地。' : '據文章，第二條建議是提高公眾防范意識。',
              [{ block: 'p2', quote: '由于其地理位置' }],
            ),
    };
    await llm.answer({ question: q, lang: langOf(q), platform: 'cli', chatId: 'bench', userId: 'bench' });
  }
  const callsBefore = fake.requests.length;
  // The cached repeat through the LLM path itself, and end to end through core.handle (which
  // also reads and writes the chat's context in the store).
  const cached: number[] = [];
  const endToEnd: number[] = [];
  for (let r = -10; r < 100; r++) {
    for (const q of QUESTIONS) {
      let s = performance.now();
      await llm.answer({ question: q, lang: langOf(q), platform: 'cli', chatId: 'bench', userId: 'bench' });
      const lookup = performance.now() - s;
      s = performance.now();
      await core.handle({ platform: 'cli', chatId: `bench-${r}`, userId: 'bench', chatType: 'private', text: q });
      // The first rounds warm the JIT and SQLite.
      if (r >= 0) {
        cached.push(lookup);
        endToEnd.push(performance.now() - s);
      }
    }
  }
  const callsForRepeats = fake.requests.length - callsBefore;
  const promptTokens = QUESTIONS.map((q) =>
    buildMessages(systemPrompt, { question: q, lang: 'en' }).reduce((n, m) => n + estimateTokens(m.content), 0),
  );
  await fake.close();

  const overhead = prompt.map((p, i) => p + (verify[i] ?? 0));
  return {
    overhead_without_model: { prompt_build: stats(prompt), verification: stats(verify), prompt_plus_verification: stats(overhead) },
    first_answer_through_fake_endpoint: stats(first),
    cached_repeat: { ...stats(cached), calls_made: callsForRepeats },
    cached_repeat_end_to_end_with_context_store: stats(endToEnd),
    prompt: {
      system_prompt_chars: systemPrompt.length,
      estimated_prompt_tokens_per_question: { min: Math.min(...promptTokens), max: Math.max(...promptTokens) },
      note: 'estimate: one token per Chinese character, four characters per token otherwise; the system prompt and article are an identical prefix, so providers cache them',
    },
  };
}
