/**
 * Memory of the bot as `npm start` runs it (compiled, plain node): the console chat is fed
 * every eval question, and the process's peak and current RSS are read from /proc before it quits.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { START_FLAGS } from './start-flags.ts';

function rssOf(pid: number): { peak_mb: number; now_mb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak_mb: Math.round(kb('VmHWM') / 1000), now_mb: Math.round(kb('VmRSS') / 1000) };
}

export async function benchBotProcess(
  questions: readonly string[],
): Promise<{ peak_mb: number; now_mb: number; questions: number; output_kb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bot-'));
  const child = spawn(process.execPath, [...START_FLAGS, 'dist/adapters/main.js'], {
    env: { ...process.env, STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, LOG_LEVEL: 'warn', TELEGRAM_BOT_TOKEN: '', DISCORD_TOKEN: '' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = questions.map((q) => q.replace(/\s+/g, ' ').trim()).filter((q) => q && !q.startsWith('/') && !/^\d$/.test(q));
  let output = '';
  let lastOutputAt = Date.now();
  child.stdout.on('data', (d) => {
    output += d;
    lastOutputAt = Date.now();
  });
  for (const line of lines) child.stdin.write(`${line}\n`);
  // Done when the chat has been quiet for a moment (every question answered).
  const deadline = Date.now() + 60_000;
  while (Date.now() - lastOutputAt < 500 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  const rss = rssOf(child.pid as number);
  child.stdin.end('/quit\n');
  await new Promise((r) => child.once('exit', r));
  return { ...rss, questions: lines.length, output_kb: Math.round(output.length / 1000) };
}
