/**
 * Start-up as a person meets it, against `node -e 0` timed in the same run: a cold `npm start`
 * (no dist/: it builds first) to the console prompt, a warm `npm start` to the prompt, and the
 * compiled `cli ask` to its first answer (also through `npm run cli`). Each figure is the
 * median of several runs, alternating with the baseline so a busy machine skews both alike.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Milliseconds from spawn until stdout contains `marker` (or the process ends). */
function timeUntil(command: string, args: string[], marker: string | undefined, input?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      env: { ...process.env, TELEGRAM_BOT_TOKEN: '', DISCORD_TOKEN: '', OPENAI_BASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let out = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(Math.round(performance.now() - started));
      child.stdin.end('/quit\n');
    };
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (marker !== undefined && out.includes(marker)) finish();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      done ? undefined : code === 0 ? finish() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    );
    if (input !== undefined) child.stdin.write(input);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ratio = (ms: number, baseline: number) => Math.round((ms / baseline) * 10) / 10;

export async function benchStartup(runs = 7) {
  const PROMPT = '\n> ';
  const nodeBare = () => timeUntil(process.execPath, ['-e', '0'], undefined);
  const npmStart = () => timeUntil('npm', ['start', '--silent'], PROMPT);
  // As `npm run cli` runs it: plain node on the compiled entry.
  const cliAsk = () => timeUntil(process.execPath, ['dist/adapters/cli.js', 'ask', '第三條建議是什麼?'], '[rec3]');
  const npmCliAsk = () => timeUntil('npm', ['run', '--silent', 'cli', '--', 'ask', '第三條建議是什麼?'], '[rec3]');

  rmSync('dist', { recursive: true, force: true });
  const baselineCold = await nodeBare();
  const cold = await npmStart(); // builds dist/ first
  const samples: Record<'node' | 'warm' | 'ask' | 'npmAsk', number[]> = { node: [baselineCold], warm: [], ask: [], npmAsk: [] };
  await cliAsk(); // the first run after a build writes the validated-content cache
  for (let i = 0; i < runs; i++) {
    samples.node.push(await nodeBare());
    samples.warm.push(await npmStart());
    samples.ask.push(await cliAsk());
    samples.npmAsk.push(await npmCliAsk());
  }
  const node = median(samples.node);
  const warm = median(samples.warm);
  const ask = median(samples.ask);
  const npmAsk = median(samples.npmAsk);
  return {
    runs,
    node_e0_ms: node,
    cold_npm_start_to_prompt_ms: cold,
    warm_npm_start_to_prompt_ms: warm,
    cli_ask_first_answer_ms: ask,
    npm_run_cli_ask_first_answer_ms: npmAsk,
    ratios_to_node_e0: {
      cold_npm_start: ratio(cold, node),
      warm_npm_start: ratio(warm, node),
      cli_ask: ratio(ask, node),
      npm_run_cli_ask: ratio(npmAsk, node),
    },
  };
}
