/**
 * Makes a real Redis available to the store tests: TEST_REDIS_URL when given (CI starts one),
 * else a private redis-server on a free port when the binary is installed. With neither,
 * the Redis tests are skipped with a warning — unless REQUIRE_REDIS=1 (CI), which fails.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPong(port: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const r = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (r.stdout?.trim() === 'PONG') return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`redis-server on port ${port} did not answer`);
}

export default async function setup(project: TestProject): Promise<() => void> {
  let url = process.env.TEST_REDIS_URL;
  if (!url && spawnSync('redis-server', ['--version']).status === 0) {
    const port = await freePort();
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitForPong(port);
    url = `redis://127.0.0.1:${port}`;
  }
  if (!url && process.env.REQUIRE_REDIS === '1')
    throw new Error('REQUIRE_REDIS=1 but no redis-server is installed and TEST_REDIS_URL is unset');
  if (!url) console.warn('⚠ No Redis available (install redis-server or set TEST_REDIS_URL): Redis store tests are skipped.');
  project.provide('redisUrl', url ?? '');
  return () => child?.kill();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
