/**
 * CLI hardening: `ask --jsonl` fed hostile lines (spawned as `npm run cli` runs it, with a
 * temporary SQLite store and LOG_LEVEL=warn), and the usage errors. Every case is its own process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { HardeningCase } from './case.ts';

const TSX = join('node_modules', '.bin', 'tsx');
const KINDS = ['answer', 'not_in_article', 'out_of_scope', 'refused', 'clarify'];
const ARRESTS = 'How many people were arrested?';
const SLOW = 60_000;

interface Result {
  status: number | null;
  stdout: Buffer;
  stderr: string;
  ms: number;
}

/** Runs `tsx adapters/cli.ts …` with `input` on stdin; raw stdout bytes, so their encoding is checked too. */
async function runCli(args: string[], input: string | Buffer = ''): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'hardening-cli-'));
  const started = Date.now();
  try {
    return await new Promise<Result>((resolve, reject) => {
      const child = spawn(TSX, ['adapters/cli.ts', ...args], {
        env: {
          ...process.env,
          STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
          LOG_LEVEL: 'warn',
          OPENAI_API_KEY: '',
          TELEGRAM_BOT_TOKEN: '',
        },
      });
      const out: Buffer[] = [];
      let err = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), SLOW - 5_000);
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d) => {
        err += d;
      });
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout: Buffer.concat(out), stderr: err, ms: Date.now() - started });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface OutLine {
  id: string | null;
  text: string;
  kind: string;
  lang: string;
  citations: { block: string; quote: string }[];
  source: string;
  error?: string;
}

/**
 * `ask --jsonl` on these lines: exit 0, stdout valid UTF-8 made only of JSON lines, exactly one
 * per input line, each with a known kind. Returns the parsed lines.
 */
async function jsonl(lines: (string | Buffer)[]): Promise<{ out: OutLine[]; result: Result }> {
  const input = Buffer.concat(lines.flatMap((l) => [Buffer.isBuffer(l) ? l : Buffer.from(l, 'utf8'), Buffer.from('\n')]));
  const result = await runCli(['ask', '--jsonl'], input);
  expect(result.status, `exit code (stderr: ${result.stderr.slice(0, 300)})`).toBe(0);
  const text = result.stdout.toString('utf8');
  expect(Buffer.from(text, 'utf8').equals(result.stdout), 'stdout is valid UTF-8').toBe(true);
  expect(text.endsWith('\n'), 'stdout ends with a newline').toBe(true);
  const rows = text.slice(0, -1).split('\n');
  expect(rows.length, 'one output line per input line').toBe(lines.length);
  const out = rows.map((row, i) => {
    let parsed: OutLine;
    try {
      parsed = JSON.parse(row) as OutLine;
    } catch {
      throw new Error(`stdout line ${i + 1} is not JSON: ${row.slice(0, 80)}`);
    }
    expect(KINDS, `line ${i + 1} kind`).toContain(parsed.kind);
    expect(typeof parsed.text, `line ${i + 1} text`).toBe('string');
    expect(parsed.text.length, `line ${i + 1} text`).toBeGreaterThan(0);
    expect(Array.isArray(parsed.citations), `line ${i + 1} citations`).toBe(true);
    // Raw control characters never reach stdout: JSON escapes them.
    expect(row, `line ${i + 1} raw control characters`).not.toMatch(/[\u0000-\u001f\u007f]/);
    return parsed;
  });
  return { out, result };
}

const line = (o: Record<string, unknown>) => JSON.stringify(o);

export const cliCases: HardeningCase[] = [
  {
    name: 'cli: ask --jsonl with empty and whitespace-only lines',
    expected: 'one clarify line each, in order, exit 0',
    timeoutMs: SLOW,
    run: async () => {
      const { out } = await jsonl([line({ id: 'a', text: ARRESTS }), '', '   \t ', line({ id: 'b', text: ARRESTS }), '']);
      expect(out.map((o) => o.id)).toEqual(['a', null, null, 'b', null]);
      expect(out.map((o) => o.kind)).toEqual(['answer', 'clarify', 'clarify', 'answer', 'clarify']);
      for (const i of [1, 2, 4]) expect(out[i]?.error).toBe('empty line');
      return '5 lines in, 5 out; blanks: clarify "empty line"';
    },
  },
  {
    name: 'cli: ask --jsonl with invalid JSON lines',
    expected: 'one clarify line each with its error, ids kept',
    timeoutMs: SLOW,
    run: async () => {
      const lines = [
        '{"id": "e", "text": broken',
        'not json at all',
        '{"id":"x","text":"How many',
        `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
        '{"id":"y","text":"ok"}}',
        "{'id':'z','text':'single quotes'}",
      ];
      const { out } = await jsonl([...lines, line({ id: 'after', text: ARRESTS })]);
      expect(out.map((o) => o.id)).toEqual(['e', null, 'x', null, 'y', null, 'after']);
      for (const o of out.slice(0, 6)) {
        expect(o.kind).toBe('clarify');
        expect(o.error ?? '').toMatch(/^(not JSON|invalid input)/);
      }
      expect(out[3]?.error).toMatch(/^invalid input/);
      expect(out[6]?.kind).toBe('answer');
      return '6 bad lines: clarify + error each; next line answered';
    },
  },
  {
    name: 'cli: ask --jsonl with a 100 KB text whose question is at the very end',
    expected: 'the question at the end answered, no truncation notice, short output',
    timeoutMs: SLOW,
    run: async () => {
      const filler = 'Lorem ipsum dolor sit amet, my cousin told me a long story. ';
      const story = filler.repeat(Math.floor((100_000 - ARRESTS.length) / filler.length));
      const text = `${story.padEnd(100_000 - ARRESTS.length, ' ')}${ARRESTS}`;
      expect(text.length).toBe(100_000);
      const { out, result } = await jsonl([line({ id: 'big', text }), line({ id: 'next', text: ARRESTS })]);
      expect(out[0]).toMatchObject({ id: 'big', kind: 'answer' });
      expect(out[0]?.text).toContain('several hundred');
      expect(out[0]?.text).not.toContain('I read only');
      expect(result.stdout.length, 'no echo of the 100 KB').toBeLessThan(10_000);
      expect(out[1]).toMatchObject({ id: 'next', kind: 'answer' });
      return `answered from the end of the message; ${result.stdout.length} bytes out`;
    },
  },
  {
    name: 'cli: ask --jsonl with NUL and control characters',
    expected: 'one line each; controls dropped, never echoed raw',
    timeoutMs: SLOW,
    run: async () => {
      const { out } = await jsonl([
        line({ id: 'nul', text: 'How many\u0000 people were\u0007 arrested?\u001b[31m' }),
        line({ id: 'only', text: '\u0000\u0001\u0002\u001f\u007f\u0085' }),
        // Raw (unescaped) controls inside a JSON string are not JSON.
        '{"id":"raw","text":"How many\u0001 people"}',
        Buffer.from('{"id":"rawnul","text":"a\u0000b"}', 'utf8'),
        `\u0000\u0000\u0000`,
      ]);
      expect(out.map((o) => o.id)).toEqual(['nul', 'only', 'raw', 'rawnul', null]);
      expect(out[0]).toMatchObject({ kind: 'answer' });
      expect(out[0]?.text).toContain('several hundred');
      expect(out[1]?.kind).toBe('clarify');
      for (const o of out.slice(2)) {
        expect(o.kind).toBe('clarify');
        expect(o.error).toMatch(/^not JSON/);
      }
      for (const o of out) expect(o.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      return 'escaped controls cleaned and answered; raw ones: not JSON';
    },
  },
  {
    name: 'cli: ask --jsonl with invalid surrogate escapes and bytes',
    expected: 'one line each, stdout valid UTF-8 JSON',
    timeoutMs: SLOW,
    run: async () => {
      const { out } = await jsonl([
        '{"id":"hi","text":"\\ud800"}',
        '{"id":"lo","text":"\\udfff How many people were arrested? \\ud800\\ud800"}',
        '{"id":"\\ud83d","text":"How many people were arrested?"}',
        Buffer.concat([
          Buffer.from('{"id":"bytes","text":"How many '),
          Buffer.from([0xff, 0xfe, 0xc3]),
          Buffer.from(' people were arrested?"}'),
        ]),
        Buffer.from([0xed, 0xa0, 0x80, 0x0d]),
      ]);
      expect(out.map((o) => o.id)).toEqual(['hi', 'lo', '\ud83d', 'bytes', null]);
      expect(out[0]?.kind).toBe('clarify');
      for (const i of [1, 2, 3]) {
        expect(out[i]?.kind, `line ${i + 1}`).toBe('answer');
        expect(out[i]?.text).toContain('several hundred');
      }
      expect(out[4]?.error).toMatch(/^not JSON/);
      return 'surrogates dropped, bad bytes replaced; all answered in order';
    },
  },
  {
    name: 'cli: ask --jsonl with HTML and Markdown',
    expected: 'answered; no markup echoed',
    timeoutMs: SLOW,
    run: async () => {
      const { out } = await jsonl([
        line({ id: 'html', text: '<script>alert(1)</script><b>How many</b> people were <i>arrested</i>?' }),
        line({ id: 'md', text: '# Question\n**How many** people were _arrested_? [click](javascript:alert(1)) `rm -rf /`' }),
        line({ id: 'tags', text: '<img src=x onerror=alert(1)><iframe src="https://evil.example.com"></iframe>' }),
      ]);
      expect(out.map((o) => o.id)).toEqual(['html', 'md', 'tags']);
      expect(out[0]?.kind).toBe('answer');
      expect(out[1]?.kind).toBe('answer');
      for (const o of out) expect(o.text).not.toMatch(/<script|<img|<iframe|javascript:|onerror|evil\.example/i);
      return `answered ×2, tags only: ${out[2]?.kind}; no markup echoed`;
    },
  },
  {
    name: 'cli: ask --jsonl with a missing or non-string text',
    expected: 'clarify + "invalid input" each, ids kept',
    timeoutMs: SLOW,
    run: async () => {
      const { out } = await jsonl([
        line({ id: 'missing' }),
        line({ id: 'number', text: 42 }),
        line({ id: 'null', text: null }),
        line({ id: 'array', text: ['How many people were arrested?'] }),
        line({ id: 'object', text: { question: ARRESTS } }),
        line({ id: 7 }),
        line({ text: ARRESTS }),
        line({ id: 'lang', text: 'hi', lang: 'klingon' }),
        '[{"id":"in-array","text":"x"}]',
        'null',
      ]);
      expect(out.map((o) => o.id)).toEqual(['missing', 'number', 'null', 'array', 'object', '7', null, 'lang', null, null]);
      for (const o of out) {
        expect(o.kind).toBe('clarify');
        expect(o.error).toMatch(/^invalid input/);
      }
      expect(out[0]?.error).toContain('text');
      expect(out[6]?.error).toContain('id');
      return '10 bad lines: clarify + "invalid input", ids kept';
    },
  },
  {
    name: 'cli: ask with an empty question',
    expected: 'usage on stderr, exit 2, stdout empty',
    timeoutMs: SLOW,
    run: async () => {
      for (const args of [['ask'], ['ask', ''], ['ask', '   ', '\t']]) {
        const result = await runCli(args);
        expect(result.status, args.join(' ')).toBe(2);
        expect(result.stderr).toContain('usage:');
        expect(result.stdout.length, 'stdout').toBe(0);
      }
      return '3 forms: usage on stderr, exit 2';
    },
  },
  {
    name: 'cli: an unknown command, an unknown option, no command',
    expected: 'usage on stderr, exit 2, stdout empty',
    timeoutMs: SLOW,
    run: async () => {
      const unknown = await runCli(['frobnicate']);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain('unknown command "frobnicate"');
      expect(unknown.stderr).toContain('usage:');
      expect(unknown.stdout.length).toBe(0);
      const option = await runCli(['ask', '--bogus', ARRESTS]);
      expect(option.status).toBe(2);
      expect(option.stderr).toContain("Unknown option '--bogus'");
      expect(option.stderr).toContain('usage:');
      expect(option.stdout.length).toBe(0);
      const none = await runCli([]);
      expect(none.status).toBe(2);
      expect(none.stderr).toContain('usage:');
      expect(none.stdout.length).toBe(0);
      return 'usage on stderr, exit 2 (×3)';
    },
  },
];
