import { createTestCore } from '/work/main/test/helpers/core.ts';
const { core, store } = await createTestCore();
for (const q of process.argv.slice(2)) { const t = core.answerer.answer({text:q, lang:'en'}); console.log(JSON.stringify(q), '→', t.rule, t.reply.kind, t.reply.entryId, t.considered?.join(' ')); }
await store.close();
