#!/usr/bin/env node
/**
 * `npm start` and `npm run cli`: builds dist/ only when a source is newer than the last build,
 * then runs the compiled entry point in this same process (no second node, no tsx). Plain
 * JavaScript because it runs before anything is compiled.
 *
 *   node adapters/launch.mjs main [args]               → dist/adapters/main.js
 *   node adapters/launch.mjs cli [args]                → dist/adapters/cli.js
 *   node adapters/launch.mjs discord-register          → dist/adapters/discord/register.js
 *   node adapters/launch.mjs build                     → compiles, whether needed or not
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = { main: 'dist/adapters/main.js', cli: 'dist/adapters/cli.js', 'discord-register': 'dist/adapters/discord/register.js' };
/** Written after each successful build; its time is the build's. */
const STAMP = join(ROOT, 'dist', '.build-stamp');
const SOURCES = ['src', 'adapters', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time under `path` (a file or a folder of sources). */
function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its folder's time
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function needsBuild() {
  // An installed image ships dist/ without the sources: nothing to compare, nothing to build.
  if (!existsSync(join(ROOT, 'src'))) return false;
  const built = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return SOURCES.some((source) => newestMtime(join(ROOT, source)) > built);
}

function build(reason) {
  let tsc;
  try {
    tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write('dist/ is missing or older than the sources, and TypeScript is not installed: run npm install\n');
    process.exit(1);
  }
  if (reason) process.stderr.write(`${reason}\n`);
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

const [target, ...args] = process.argv.slice(2);
if (target === 'build') {
  build();
  process.exit(0);
}
const entry = ENTRIES[target];
if (entry === undefined) {
  process.stderr.write(`usage: node adapters/launch.mjs <${[...Object.keys(ENTRIES), 'build'].join('|')}> [args]\n`);
  process.exit(2);
}
if (needsBuild()) build('building dist/ (first start, or the sources changed)…');
// The entry reads its own arguments from process.argv, as if node had been started on it.
process.argv = [process.argv[0], join(ROOT, entry), ...args];
await import(pathToFileURL(join(ROOT, entry)).href);
