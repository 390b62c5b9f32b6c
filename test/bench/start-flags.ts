import { readFileSync } from 'node:fs';

/** The node flags `npm start` runs the bot with, read from package.json so the bench measures the same process. */
const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
export const START_FLAGS = (/\bnode ((?:--[\w-]+(?:=\S+)? )*)adapters\/launch\.mjs main/.exec(start)?.[1] ?? '')
  .trim()
  .split(/\s+/)
  .filter(Boolean);
