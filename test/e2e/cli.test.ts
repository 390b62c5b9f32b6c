import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TSX = join('node_modules', '.bin', 'tsx');

function run(script: string, args: string[], input: string, env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-'));
  return spawnSync(TSX, [script, ...args], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, STORE_URL: `sqlite://${join(dataDir, 'bot.sqlite')}`, LOG_LEVEL: 'warn', ...env },
  });
}

describe('cli ask --jsonl', () => {
  it('writes exactly one JSON line per input, in order, and nothing else on stdout', () => {
    const lines = [
      { id: 'a', text: '抓了多少人?' },
      { id: 'b', text: 'What happened to the suspects?', chat: 'x' },
      { id: 'c', text: 'why?', chat: 'x' },
      { id: 'd', text: 'why?' },
    ];
    const input = `${lines.map((l) => JSON.stringify(l)).join('\n')}\n{"id": "e", "text": broken\n`;
    const result = run('src/cli/main.ts', ['ask', '--jsonl'], input);
    expect(result.status).toBe(0);
    const out = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(out[0]).toMatchObject({ kind: 'answer', lang: 'zh-Hant', source: 'offline' });
    expect(out[0].citations[0]).toMatchObject({ block: 'p3' });
    // Same "chat" field: the follow-up resolves; no chat field: an independent line.
    expect(out[2].kind).toBe('answer');
    expect(out[3].kind).toBe('clarify');
    expect(out[4]).toMatchObject({ kind: 'clarify' });
    expect(out[4].error).toMatch(/not JSON/);
  });
});

describe('npm start without a platform token', () => {
  it('opens the console chat with a hint on connecting Telegram and Discord', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'start-'));
    const result = spawnSync('npm', ['start', '--silent'], {
      input: '抓了多少人?\n/advice 3\n/quit\n',
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, STORE_URL: `sqlite://${join(dataDir, 'bot.sqlite')}`, TELEGRAM_BOT_TOKEN: '', DISCORD_TOKEN: '' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/TELEGRAM_BOT_TOKEN.*DISCORD_TOKEN/);
    expect(result.stdout).toContain('數百名');
    expect(result.stdout).toContain('[rec3]');
  });

  it('stops with one line naming an invalid variable', () => {
    const result = run('adapters/main.ts', [], '', { STORE_URL: 'ftp://nowhere' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'CONFIG_INVALID: STORE_URL: sqlite://<path> or redis://host:port (got "ftp://nowhere")',
    ]);
  });

  it('stops with one line when Redis is down at start', () => {
    const result = run('adapters/main.ts', [], '', { STORE_URL: 'redis://127.0.0.1:1' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^STORE_UNAVAILABLE: cannot reach Redis at 127\.0\.0\.1:1/);
  });

  it('stops with one line for an unknown article', () => {
    const result = run('adapters/main.ts', [], '', { ARTICLE_ID: 'missing-article' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^CONTENT_INVALID: .*unknown article "missing-article"/);
  });
});

describe('cli content build / content check', () => {
  const copy = () => {
    const dir = mkdtempSync(join(tmpdir(), 'content-cli-'));
    cpSync('content', dir, { recursive: true });
    return dir;
  };
  const article = (dir: string) => join(dir, 'articles', 'cambodia-scam-sweep', 'article.json');

  it('rebuilds article.json from source.txt, byte for byte what is committed', () => {
    const dir = copy();
    rmSync(article(dir));
    const result = run('src/cli/main.ts', ['content', 'build'], '', { CONTENT_DIR: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('built cambodia-scam-sweep: 1 title, 8 paragraph, 4 recommendation, 1 closing');
    expect(readFileSync(article(dir), 'utf8')).toBe(readFileSync(article('content'), 'utf8'));
  });

  it('exits 1 naming file and field when content is broken', () => {
    const dir = copy();
    const knowledge = join(dir, 'articles', 'cambodia-scam-sweep', 'knowledge.yaml');
    writeFileSync(
      knowledge,
      readFileSync(knowledge, 'utf8').replace('quote: 柬埔寨警方共抓獲犯罪嫌疑人數百名', 'quote: 柬埔寨警方共抓獲犯罪嫌疑人三千名'),
    );
    const result = run('src/cli/main.ts', ['content', 'check'], '', { CONTENT_DIR: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/knowledge\.yaml: entries\.\d+ \([a-z.-]+\)\.citations\.\d+\.quote: not verbatim in block p3/);
  });
});
