import { createTestCore } from '/work/main/test/helpers/core.ts';
const { core, store } = await createTestCore();
const v = (core.answerer as any);
for (const q of process.argv.slice(2)) { const t = core.answerer.answer({text:q, lang:'en'}); console.log(t.rule, t.reply.entryId, t.question?.slice(0,80)); }
await store.close();
