/**
 * `tsx test/eval/probe.ts "question" …`: what the offline core replies to each question, with
 * what it understood (kinds, subjects) and the candidates it weighed: a developer's tool.
 */
import { renderText } from '../../src/cli/render-text.ts';
import { createTestCore } from '../helpers/core.ts';

const { core, store } = await createTestCore();
for (const [i, text] of process.argv.slice(2).entries()) {
  const reply = await core.handle({ platform: 'cli', chatId: `probe-${i}`, userId: 'probe', chatType: 'private', text });
  const trace = core.answerer.answer({ text, lang: reply.lang });
  const reading = trace.reading ? `kinds ${[...trace.reading.kinds].join(',')} subjects ${[...trace.reading.subjects].join(',')}` : '';
  console.log(
    `\n? ${text.slice(0, 100)}\n→ ${reply.kind} ${reply.entryId ?? '-'} (${trace.rule} ${trace.score.toFixed(2)}) ${reply.lang} ${reading}`,
  );
  if (trace.considered) console.log(`  considered ${trace.considered.join(' ')}`);
  console.log(`  ${renderText(reply).replace(/\n+/g, ' | ').slice(0, 300)}`);
}
await store.close();
