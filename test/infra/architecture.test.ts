import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('architecture', () => {
  it('keeps the core free of platforms: src/ imports nothing from adapters/, grammy or discord.js', () => {
    const offences: string[] = [];
    for (const file of tsFiles('src')) {
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = m[1] ?? m[2] ?? '';
        if (/(^|\/)adapters(\/|$)/.test(target) || /^(grammy|@grammyjs\/|discord\.js|@discordjs\/)/.test(target))
          offences.push(`${file} → ${target}`);
      }
    }
    expect(offences).toEqual([]);
  });

  const importsOf = (dir: string) =>
    tsFiles(dir).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => ({ file, target: m[1] ?? m[2] ?? '' })));

  it('keeps the vocabulary (src/protocol: event, Reply, ports) free of imports from anything but itself', () => {
    const offences = importsOf('src/protocol').filter(({ target }) => !/^\.\/[\w-]+\.ts$/.test(target));
    expect(offences).toEqual([]);
  });

  it('keeps adapters to the conversation port: no answering internals reach them, only the command registry', () => {
    const internals = /\/src\/(qa|llm)\/|\/src\/core\/(core|notices)\.ts$|\/src\/commands\/(?!index\.ts$)/;
    const offences = importsOf('adapters')
      .filter(({ target }) => internals.test(target))
      .map(({ file, target }) => `${file} → ${target}`);
    expect(offences).toEqual([]);
  });

  it('keeps the parts the core runs (qa, llm, commands, reminders) from importing the core back', () => {
    const offences = ['src/qa', 'src/llm', 'src/commands', 'src/reminders']
      .flatMap(importsOf)
      .filter(({ target }) => /\/core\//.test(target))
      .map(({ file, target }) => `${file} → ${target}`);
    expect(offences).toEqual([]);
  });

  it('finds imports (the check above cannot pass vacuously)', () => {
    const all = tsFiles('src').flatMap((f) => [...readFileSync(f, 'utf8').matchAll(IMPORT)]);
    expect(all.length).toBeGreaterThan(20);
    expect(tsFiles('adapters').some((f) => /from '\.\.\/src\//.test(readFileSync(f, 'utf8')))).toBe(true);
    expect(importsOf('src/protocol').length).toBeGreaterThan(3);
    expect(importsOf('src/qa').some(({ target }) => target.includes('protocol/'))).toBe(true);
  });
});
