/**
 * `npm run cli`: the core's CLI plus the commands that need the platforms (reminder posts go
 * through the Telegram and Discord APIs configured in the environment).
 */
import { parseArgs } from 'node:util';
import { createApp } from '../src/bootstrap.ts';
import { type CliExtension, runCliProgram } from '../src/cli/main.ts';
import { loadConfig } from '../src/config.ts';
import { acquireSchedulerLease } from '../src/reminders/loop.ts';
import { cronOf } from '../src/reminders/schedule.ts';

const USAGE = `  reminders list        every subscription and its next slot (JSON lines)
  reminders tick --at <ISO-8601 time> [--dry-run]
                        post every reminder due at that time, as the running scheduler does, then exit`;

const reminders: CliExtension = {
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { at: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
    });
    const sub = positionals[0];
    if (sub !== 'list' && sub !== 'tick') {
      process.stderr.write(`usage:\n${USAGE}\n`);
      return 2;
    }
    const at = values.at === undefined ? undefined : new Date(values.at);
    if (sub === 'tick' && (at === undefined || Number.isNaN(at.getTime()) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(values.at ?? ''))) {
      process.stderr.write('reminders tick: --at needs an ISO-8601 time such as 2026-11-28T12:00:00Z\n');
      return 2;
    }
    // Reports own stdout; logs go to stderr.
    const app = await createApp(loadConfig(), { logDestination: process.stderr });
    try {
      if (sub === 'list') {
        for (const { subscription, next } of await app.reminders.list()) {
          const { platform, chatId, schedule, lang } = subscription;
          process.stdout.write(
            `${JSON.stringify({ platform, chat: chatId, schedule: cronOf(schedule), timezone: schedule.timezone, lang, next: next.toISOString() })}\n`,
          );
        }
        return 0;
      }
      const dryRun = values['dry-run'];
      // A real tick is a scheduler: on a SQLite file it must be the only one.
      const lease = dryRun ? undefined : await acquireSchedulerLease(app.store);
      // The platform clients load only for a tick: `ask` and `chat` never need them.
      const { registerStandalonePosters } = await import('./posters.ts');
      const closePosters = await registerStandalonePosters(app, app.logger);
      try {
        const report = await app.reminders.tick(at, { dryRun });
        process.stdout.write(`${JSON.stringify({ at: at?.toISOString(), dryRun, ...report })}\n`);
        return report.failed > 0 ? 1 : 0;
      } finally {
        await closePosters();
        await lease?.release();
      }
    } finally {
      await app.close();
    }
  },
};

runCliProgram({ reminders });
