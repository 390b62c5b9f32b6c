import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';
import { type FakeChatCompletions, modelAnswer, startFakeChatCompletions } from '../fakes/chat-completions-server.ts';
import { TEST_API_KEY } from '../helpers/llm-core.ts';

let fake: FakeChatCompletions;
beforeEach(async () => {
  fake = await startFakeChatCompletions();
});
afterEach(async () => {
  await fake.close();
});

/** Runs the CLI asynchronously: the fake server lives in this process and must keep answering. */
function runCli(
  args: string[],
  input: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-cli-'));
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['src/cli/main.ts', ...args], {
      env: { ...process.env, STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('the JSONL CLI with an LLM configured', () => {
  it('uses the LLM where the policy says so, and reports source "llm"', async () => {
    fake.script({
      content: modelAnswer(
        'According to the article, Cambodia became a hotspot because of its geographical location, economic conditions and policy environment.',
        [{ block: 'p2', quote: '由于其地理位置' }],
      ),
    });
    const input = [
      { id: 'free', text: 'Explain simply why Cambodia became a hotspot for scam compounds' },
      { id: 'plain', text: 'How many people were arrested?' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const result = await runCli(['ask', '--jsonl'], `${input}\n`, {
      OPENAI_API_KEY: TEST_API_KEY,
      OPENAI_BASE_URL: fake.url,
      OPENAI_MODEL: 'fake-model',
    });
    expect(result.status).toBe(0);
    const [free, plain] = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(free).toMatchObject({ id: 'free', kind: 'answer', source: 'llm', citations: [{ block: 'p2' }] });
    expect(free.text).toContain('Generated automatically from the article');
    expect(plain).toMatchObject({ id: 'plain', source: 'offline' });
    expect(fake.requests).toHaveLength(1);
    expect(result.stderr).not.toContain(TEST_API_KEY);
  });

  it('falls back offline when the endpoint is unreachable, costing one failure', async () => {
    await fake.close();
    const result = await runCli(
      ['ask', '--jsonl'],
      `${JSON.stringify({ id: 'x', text: 'Explain simply why Cambodia became a hotspot for scam compounds' })}\n`,
      {
        OPENAI_API_KEY: TEST_API_KEY,
        OPENAI_BASE_URL: fake.url,
        OPENAI_MODEL: 'fake-model',
      },
    );
    fake = await startFakeChatCompletions();
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ id: 'x', kind: 'answer', source: 'offline' });
    expect(result.stderr).toContain('"reason":"call-failed"');
  });
});

describe('LLM configuration', () => {
  it('is off, and says nothing about an LLM, when no variable is set', () => {
    expect(parseConfig({}).llm).toBeUndefined();
  });

  it('uses OpenAI with a default model when only the key is set', () => {
    expect(parseConfig({ OPENAI_API_KEY: 'sk-x' }).llm).toMatchObject({
      model: 'gpt-4o-mini',
      baseUrl: undefined,
      timeoutMs: 15_000,
      maxRetries: 2,
      temperature: 0,
    });
  });

  it('accepts a local server without a key (Ollama)', () => {
    expect(parseConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_MODEL: 'llama3.1' }).llm).toMatchObject({
      apiKey: undefined,
      model: 'llama3.1',
    });
  });

  it.each([
    [{ OPENAI_BASE_URL: 'http://localhost:11434/v1' }, 'OPENAI_MODEL'],
    [{ OPENAI_MODEL: 'gpt-4o' }, 'OPENAI_API_KEY'],
    [{ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'localhost:11434' }, 'OPENAI_BASE_URL'],
    [{ OPENAI_API_KEY: 'sk-x', LLM_TIMEOUT_MS: 'soon' }, 'LLM_TIMEOUT_MS'],
    [{ OPENAI_API_KEY: 'sk-x', LLM_STREAM: 'maybe' }, 'LLM_STREAM'],
  ])('stops on %o naming %s', (env, variable) => {
    const error = (() => {
      try {
        parseConfig(env);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
  });
});
