/**
 * `npm run bench`: one JSON document on stdout. The process's RSS before anything of the bot
 * is loaded is recorded first, so the core's own memory can be told apart from the runtime's
 * (tsx, which transpiles TypeScript in-process, costs ~70 MB on its own).
 */
const rssAtStart = process.memoryUsage().rss;
// First: the cold start removes dist/ and has npm start build it again for the rest.
const { benchStartup } = await import('./startup.ts');
const startup = await benchStartup();
const { benchRunningBot } = await import('./running-bot.ts');
const { benchCore } = await import('./core.ts');
const { benchUnderstanding } = await import('./understanding.ts');
const { benchBotProcess } = await import('./bot-process.ts');
const { benchLlm } = await import('./llm.ts');
const { benchTelegram } = await import('./telegram.ts');
const { benchDiscord } = await import('./discord.ts');
const { benchReminders } = await import('./reminders.ts');
const { loadEvalItems } = await import('../eval/evaluate.ts');
const core = await benchCore();
const understanding = await benchUnderstanding();
const rss = process.memoryUsage().rss;
const bot = await benchBotProcess(loadEvalItems().map((i) => i.text));
const runningBot = await benchRunningBot();
const llm = await benchLlm();
const telegram = await benchTelegram();
const discord = await benchDiscord();
// 10,000 chats at 500 messages/s (Telegram allows ~30/s: scaled up to keep the run ~20 s).
const reminders = await benchReminders(10_000, 500);
const result = {
  date: new Date().toISOString(),
  node: process.version,
  startup,
  core,
  understanding,
  llm,
  telegram,
  discord,
  reminders,
  memory: {
    bot_process: bot,
    running_bot: runningBot,
    bench_process: { rss_mb: Math.round(rss / 1e6), before_load_mb: Math.round(rssAtStart / 1e6) },
  },
  budgets: {
    'startup.warm_npm_start_to_prompt_ms <= 1000': startup.warm_npm_start_to_prompt_ms <= 1000,
    'startup.cli_ask_first_answer_ms <= 500': startup.cli_ask_first_answer_ms <= 500,
    'memory.running_bot.after_burst.rss_mb <= 120 (telegram + discord + scheduler, 300 updates)':
      runningBot.after_burst.rss_mb <= 120 && runningBot.telegram_answered === runningBot.telegram_updates,
    'core.answer.p99_ms <= 2': core.core.answer.p99_ms <= 2,
    'understanding.answer.today.p99_ms <= 1': understanding.answer.today.p99_ms <= 1,
    'understanding.content_load_and_index_ms.today <= 150': understanding.content_load_and_index_ms.today <= 150,
    'understanding.message_100k_question_last: p99_ms <= 1 and answered':
      understanding.message_100k_question_last.p99_ms <= 1 && understanding.message_100k_question_last.answered,
    'core.startup_ms <= 300': core.startup_ms <= 300,
    'memory.bot_process.peak_mb <= 120': bot.peak_mb <= 120,
    'llm.overhead_without_model.prompt_plus_verification.p99_ms <= 5': llm.overhead_without_model.prompt_plus_verification.p99_ms <= 5,
    'telegram.ratio >= 0.75 (bot vs bare echo bot)': telegram.ratio >= 0.75,
    'telegram.bot_process.peak_rss_mb <= 150': telegram.bot_process.peak_rss_mb <= 150,
    'discord.ack_p99_ms <= 50': discord.ack_p99_ms <= 50,
    'reminders.ratio_to_limit >= 0.9': reminders.ratio_to_limit >= 0.9,
    'reminders: no loss, no duplicate, every 429 retried':
      reminders.lost === 0 && reminders.duplicates === 0 && reminders.report.failed === 0,
    'reminders.scheduler_overhead_ms_per_due_chat <= 1': reminders.scheduler_overhead_ms_per_due_chat <= 1,
    'llm.cached_repeat.p99_ms <= 2 with no call': llm.cached_repeat.p99_ms <= 2 && llm.cached_repeat.calls_made === 0,
  },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
