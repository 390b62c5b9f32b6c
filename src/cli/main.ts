import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { describeStartupError } from '../errors.ts';
import { runConsoleChat } from './chat.ts';
import { runJsonl } from './jsonl.ts';
import { renderSuggestions, renderText } from './render-text.ts';

const USAGE = `usage: npm run cli -- <command>
  ask "question"        answer one question
  ask --jsonl           answer JSON lines from stdin ({"id","text","lang"?,"chat"?}), one JSON line out each
  chat                  interactive console chat
  content build         rebuild article.json from source.txt
  content check         validate all content; exit 1 on any problem`;

const parseCliArgs = (argv: string[]) =>
  parseArgs({
    args: argv,
    allowPositionals: true,
    options: { jsonl: { type: 'boolean', default: false }, article: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });

/** A command the composition root adds (it may use adapters, which the core cannot import). */
export interface CliExtension {
  usage: string;
  /** Receives the arguments after the command name; returns the exit code. */
  run(args: string[]): Promise<number>;
}

export async function main(argv: string[], extensions: Record<string, CliExtension> = {}): Promise<number> {
  const extension = argv[0] !== undefined ? extensions[argv[0]] : undefined;
  if (extension) return extension.run(argv.slice(1));
  const usage = [USAGE, ...Object.values(extensions).map((e) => e.usage)].join('\n');
  let args: ReturnType<typeof parseCliArgs>;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    // An unknown or malformed option is a usage error, like an unknown command.
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  const { values, positionals } = args;
  const [command, ...rest] = positionals;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (!command) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const config = loadConfig();
  if (command === 'content') {
    // The checks load only for this command: asking never needs them.
    const { contentBuild, contentCheck } = await import('./content-commands.ts');
    const sub = rest[0];
    if (sub === 'build') return contentBuild(config.contentDir, values.article);
    if (sub === 'check') return contentCheck(config.contentDir, values.article);
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  if (command !== 'ask' && command !== 'chat') {
    process.stderr.write(`unknown command "${command}"\n${usage}\n`);
    return 2;
  }
  if (command === 'ask' && !values.jsonl && rest.join(' ').trim() === '') {
    process.stderr.write(`ask needs a question\n${usage}\n`);
    return 2;
  }
  // Replies own stdout; logs go to stderr.
  const app = await createApp(config, { logDestination: process.stderr });
  try {
    if (command === 'chat') {
      await runConsoleChat({ core: app.core, input: process.stdin, output: process.stdout });
    } else if (values.jsonl) {
      await runJsonl(app.core, process.stdin, process.stdout);
    } else {
      const reply = await app.core.handle({
        platform: 'cli',
        chatId: `ask:${process.pid}:${Date.now()}`,
        userId: 'cli',
        chatType: 'private',
        text: rest.join(' '),
      });
      const buttons = renderSuggestions(reply);
      process.stdout.write(`${renderText(reply)}${buttons ? `\n\n${buttons}` : ''}\n`);
    }
  } finally {
    await app.close();
  }
  return 0;
}

/** Runs the CLI as a program: exit code set, a failure printed as one line. */
export function runCliProgram(extensions: Record<string, CliExtension> = {}): void {
  main(process.argv.slice(2), extensions).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${describeStartupError(error)}\n`);
      process.exitCode = 1;
    },
  );
}

// Run directly (`tsx src/cli/main.ts`, as content:check does) it is the core's CLI alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runCliProgram();
