/**
 * Static checks of the deployment files (no Docker engine needed): the Dockerfile's stages,
 * the Compose files' services, and that every variable they set or mention is one the bot reads.
 * With the `docker compose` CLI installed, Compose itself also validates the files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import * as configModule from '../../src/config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const BASE_FILE = 'docker-compose.yml';
const SCALED_FILE = 'deploy/docker-compose.scaled.yml';
/** Read by Compose or the proxy only, never by the bot. */
const COMPOSE_ONLY_VARIABLES = new Set(['WEBHOOK_DOMAIN']);
const BOT_PORT = '8080';

// --- the variables the bot knows ---------------------------------------------------------------

/** src/config.ts's variable list when exported, else the keys of its envSchema read from the source. */
function knownVariables(): Set<string> {
  const exported: unknown = Reflect.get(configModule, 'CONFIG_VARIABLES');
  if (Array.isArray(exported)) return new Set([...exported.map(String), 'ROLES']);
  const source = read('src/config.ts');
  const start = source.indexOf('const envSchema = z.object({');
  const end = source.indexOf('\n});', start);
  if (start < 0 || end < 0) throw new Error('envSchema not found in src/config.ts');
  const keys = [...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] ?? '');
  return new Set([...keys, 'ROLES']);
}

const KNOWN = knownVariables();
const ROLE_NAMES: readonly string[] = (() => {
  const exported: unknown = Reflect.get(configModule, 'ROLE_NAMES');
  return Array.isArray(exported) ? exported.map(String) : ['telegram', 'discord', 'scheduler'];
})();

// --- Compose ----------------------------------------------------------------------------------

interface Healthcheck {
  test: string | string[];
  interval?: string;
  timeout?: string;
  start_period?: string;
  retries?: number;
}
interface Service {
  build?: unknown;
  image?: string;
  command?: string | string[];
  env_file?: unknown;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: string[];
  volumes?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  restart?: string;
  init?: boolean;
  profiles?: string[];
  stop_grace_period?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** Compose reads YAML merge keys (`<<: *anchor`); js-yaml's default schema does not. */
const parseYaml = (text: string): unknown => load(text, { schema: CORE_SCHEMA.withTags(mergeTag) });
const parseCompose = (path: string) => parseYaml(read(path)) as ComposeFile;

const base = parseCompose(BASE_FILE);
const scaled = parseCompose(SCALED_FILE);

function serviceOf(file: ComposeFile, name: string): Service {
  const service = file.services[name];
  if (!service) throw new Error(`no service ${name}`);
  return service;
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((line) => [line.split('=')[0] ?? '', line.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Services that run the bot's image (built from this repository). */
const runsBot = (s: Service) => s.build !== undefined || s.image?.startsWith('fraud-news-bot') === true;

const healthcheckCommand = (s: Service) => {
  const test = s.healthcheck?.test ?? [];
  return Array.isArray(test) ? test.join(' ') : test;
};

/** The container side of a port mapping such as "${PORT:-8080}:8080" or "443:443/udp". */
const containerPort = (mapping: string) => (mapping.split(':').at(-1) ?? '').replace(/\/(tcp|udp)$/, '');

/** Named volumes (not bind mounts) a service mounts, with their targets. */
const namedVolumes = (s: Service) =>
  (s.volumes ?? [])
    .map((v) => v.split(':'))
    .filter(([source]) => source !== undefined && !/^[./~]/.test(source))
    .map(([source, target]) => ({ source: source ?? '', target: target ?? '' }));

const dependsOn = (s: Service): Record<string, string | undefined> =>
  Array.isArray(s.depends_on)
    ? Object.fromEntries(s.depends_on.map((name) => [name, undefined]))
    : Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([name, d]) => [name, d.condition]));

const seconds = (duration: string | undefined) => {
  const m = /^(\d+)(s|m)$/.exec(duration ?? '');
  return m ? Number(m[1]) * (m[2] === 'm' ? 60 : 1) : 0;
};

/** Default graceful-shutdown budget of the bot (SHUTDOWN_TIMEOUT_SECONDS), 10 s when not configurable. */
const shutdownBudgetSeconds = (): number => {
  const ms: unknown = Reflect.get(configModule.parseConfig({}), 'shutdownTimeoutMs');
  return typeof ms === 'number' ? ms / 1000 : 10;
};

/** `${VAR}`, `${VAR:-x}`, `${VAR:?msg}` and `$VAR` references (`$$` is an escaped dollar). */
const interpolated = (text: string) => [...text.matchAll(/(?<!\$)\$(?:\{([A-Za-z_]\w*)|([A-Za-z_]\w*))/g)].map((m) => m[1] ?? m[2] ?? '');

/** `NAME=` written in comments (usage notes such as OPENAI_MODEL=llama3.1). */
const mentionedInComments = (text: string) =>
  text
    .split('\n')
    .map((line) => /(?:^|\s)#(.*)$/.exec(line)?.[1] ?? '')
    .flatMap((comment) => [...comment.matchAll(/\b([A-Z][A-Z0-9_]{2,})=/g)].map((m) => m[1] ?? ''));

const SAMPLE_CREDENTIALS = {
  TELEGRAM_BOT_TOKEN: `123456:${'A'.repeat(30)}`,
  DISCORD_TOKEN: 'discord-token',
  TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram',
};
/** `${NAME:-default}` as Compose writes a variable passed through from .env or the shell. */
const PASS_THROUGH = /^\$\{([A-Z][A-Z0-9_]*):-([^}]*)\}$/;

/**
 * No `env_file:` (its `required: false` needs Compose 2.24+, and without it a missing .env is an
 * error): every variable the bot reads is interpolated, which Compose fills from .env when there
 * is one, and falls back to the bot's own default, so a missing .env runs as if it were empty.
 */
function expectEnvironmentFromDotEnv(service: Service) {
  expect(service.env_file).toBeUndefined();
  const env = environmentOf(service);
  for (const name of KNOWN) expect(Object.keys(env), `${name} reaches the bot`).toContain(name);
  // A role service refuses to start without its platform's credentials: give it some.
  const fixed = {
    ...SAMPLE_CREDENTIALS,
    ...Object.fromEntries(Object.entries(env).filter(([, value]) => !value.includes('$'))),
  };
  const baseline = configModule.parseConfig(fixed);
  for (const [name, value] of Object.entries(env)) {
    if ((name in fixed && !(name in SAMPLE_CREDENTIALS)) || /^\$\{\w+:\?/.test(value)) continue;
    const [, variable, fallback] = PASS_THROUGH.exec(value) ?? [];
    expect(variable, `${name} is passed as \${${name}:-default}`).toBe(name);
    // Credentials default to empty, which the bot reads as "not set".
    if (name in SAMPLE_CREDENTIALS) expect(fallback, `${name} defaults to empty`).toBe('');
    else
      expect(configModule.parseConfig({ ...fixed, [name]: fallback }), `${name}'s default ${JSON.stringify(fallback)}`).toEqual(baseline);
  }
}

function expectBotService(service: Service) {
  expect(runsBot(service)).toBe(true);
  const env = environmentOf(service);
  expect(env.STORE_URL).toBe('redis://redis:6379');
  expect(env.NODE_ENV).toBe('production');
  // The container always listens where its healthcheck, EXPOSE and the proxy look.
  expect(env.PORT).toBe(BOT_PORT);
  expectEnvironmentFromDotEnv(service);
  expect(dependsOn(service)).toMatchObject({ redis: 'service_healthy' });
  expect(service.restart).toBe('unless-stopped');
  expect(healthcheckCommand(service)).toMatch(/^CMD node -e .*fetch\(.*\/(readyz|healthz)/);
  expect(healthcheckCommand(service)).not.toMatch(/curl|wget/);
  expect(service.healthcheck?.start_period).toBeDefined();
  // Docker sends SIGKILL after stop_grace_period: leave the graceful shutdown its whole budget.
  expect(seconds(service.stop_grace_period)).toBeGreaterThan(shutdownBudgetSeconds());
}

describe(`${BASE_FILE}`, () => {
  it('runs the bot and Redis', () => {
    expect(Object.keys(base.services).sort()).toEqual(['bot', 'redis']);
  });

  it('builds the bot from this repository and points it at the Redis service', () => {
    const bot = serviceOf(base, 'bot');
    expect(bot.build).toBe('.');
    expectBotService(bot);
  });

  it('publishes the bot on PORT (default 8080) and gives /app/data a named volume', () => {
    const bot = serviceOf(base, 'bot');
    expect(bot.ports).toEqual([`\${PORT:-8080}:${BOT_PORT}`]);
    expect(namedVolumes(bot)).toContainEqual({ source: 'bot-data', target: '/app/data' });
  });

  it('runs Redis with an append-only file on a named volume, a ping healthcheck and no published port', () => {
    const redis = serviceOf(base, 'redis');
    expect(redis.image).toMatch(/^redis:7(\.\d+)*-alpine$/);
    const command = Array.isArray(redis.command) ? redis.command.join(' ') : (redis.command ?? '');
    expect(command).toMatch(/^redis-server\b.*--appendonly yes/);
    expect(namedVolumes(redis)).toContainEqual({ source: 'redis-data', target: '/data' });
    expect(healthcheckCommand(redis)).toBe('CMD redis-cli ping');
    expect(redis.restart).toBe('unless-stopped');
    expect(redis.ports).toBeUndefined();
  });

  it('declares every named volume its services mount', () => {
    const used = Object.values(base.services).flatMap((s) => namedVolumes(s).map((v) => v.source));
    for (const volume of used) expect(Object.keys(base.volumes ?? {})).toContain(volume);
  });

  it('documents an optional Ollama service that parses once uncommented', () => {
    const text = read(BASE_FILE);
    const lines = text.split('\n');
    const start = lines.findIndex((l) => /^ {2}# ollama:\s*$/.test(l));
    expect(start).toBeGreaterThan(0);
    const block: string[] = [];
    for (const line of lines.slice(start)) {
      if (!/^ {2}#/.test(line)) break;
      block.push(line.replace(/^ {2}# ?/, ''));
    }
    const ollama = (parseYaml(block.join('\n')) as Record<string, Service>).ollama;
    expect(ollama?.image).toMatch(/^ollama\/ollama(:|$)/);
    expect(ollama?.ports?.map(containerPort)).toEqual(['11434']);
    expect(ollama?.volumes?.some((v) => v.endsWith(':/root/.ollama'))).toBe(true);
    expect(text).toContain('OPENAI_BASE_URL=http://ollama:11434/v1');
    expect(text).toMatch(/OPENAI_MODEL=\S+/);
  });
});

describe(`${SCALED_FILE}`, () => {
  const roleServices = Object.entries(scaled.services).filter(([, s]) => environmentOf(s).ROLES !== undefined);

  it('runs each role as its own service, one role each, together all of them', () => {
    const roles = Object.fromEntries(roleServices.map(([name, s]) => [name, environmentOf(s).ROLES]));
    expect(roles).toEqual({ telegram: 'telegram', discord: 'discord', scheduler: 'scheduler' });
    expect(Object.values(roles).sort()).toEqual([...ROLE_NAMES].sort());
  });

  it('runs the same image as the all-in-one service, on the shared Redis, with healthchecks and restarts', () => {
    for (const [, service] of roleServices) {
      expectBotService(service);
      expect(service.build).toBe('.');
      expect(service.image).toBe(serviceOf(base, 'bot').image);
    }
  });

  it('turns the all-in-one bot off, so no role runs twice', () => {
    expect(serviceOf(scaled, 'bot')).toEqual({ profiles: ['all-in-one'] });
  });

  it('lets telegram scale: webhook mode required, no host port to clash between replicas', () => {
    const telegram = serviceOf(scaled, 'telegram');
    expect(environmentOf(telegram).TELEGRAM_WEBHOOK_URL).toMatch(/^\$\{TELEGRAM_WEBHOOK_URL:\?.+\}$/);
    for (const [, service] of roleServices) expect(service.ports).toBeUndefined();
  });

  it('puts an HTTPS proxy in front of every telegram replica and keeps operator endpoints inside', () => {
    const proxy = serviceOf(scaled, 'proxy');
    expect(proxy.image).toMatch(/^caddy:2/);
    expect(proxy.ports?.map(containerPort)).toEqual(expect.arrayContaining(['80', '443']));
    expect(dependsOn(proxy)).toHaveProperty('telegram');
    // Paths in an override file are relative to the first -f file: the repository root.
    const mount = proxy.volumes?.find((v) => v.endsWith(':/etc/caddy/Caddyfile:ro')) ?? '';
    const caddyfile = mount.split(':')[0] ?? '';
    expect(existsSync(join(ROOT, caddyfile))).toBe(true);
    const text = read(caddyfile);
    expect(text).toMatch(new RegExp(`dynamic a telegram ${BOT_PORT}\\b`));
    expect(text).toMatch(/path \/healthz \/readyz \/metrics\s+respond @ops 404/);
    const caddyVariables = [...text.matchAll(/\{\$([A-Z_]+)\}/g)].map((m) => m[1] ?? '');
    for (const name of caddyVariables) expect(Object.keys(environmentOf(proxy))).toContain(name);
  });

  it('declares every named volume its services mount', () => {
    const used = Object.values(scaled.services).flatMap((s) => namedVolumes(s).map((v) => v.source));
    const declared = [...Object.keys(base.volumes ?? {}), ...Object.keys(scaled.volumes ?? {})];
    for (const volume of used) expect(declared).toContain(volume);
  });

  it('depends only on services that exist', () => {
    const all = new Set([...Object.keys(base.services), ...Object.keys(scaled.services)]);
    for (const service of Object.values(scaled.services)) for (const name of Object.keys(dependsOn(service))) expect(all).toContain(name);
  });
});

describe('environment variables in the deployment files', () => {
  it('reads the known names (the check below cannot pass vacuously)', () => {
    for (const name of ['STORE_URL', 'PORT', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_URL', 'OPENAI_BASE_URL', 'ROLES'])
      expect(KNOWN).toContain(name);
  });

  it.each([BASE_FILE, SCALED_FILE])('%s sets only variables the bot reads', (file) => {
    const services = Object.values(parseCompose(file).services).filter(runsBot);
    const unknown = services.flatMap((s) => Object.keys(environmentOf(s))).filter((name) => !KNOWN.has(name));
    expect(unknown).toEqual([]);
  });

  it.each([BASE_FILE, SCALED_FILE])('%s interpolates and mentions only known variables', (file) => {
    const text = read(file);
    const names = [...interpolated(text), ...mentionedInComments(text)];
    const unknown = names.filter((name) => !KNOWN.has(name) && !COMPOSE_ONLY_VARIABLES.has(name));
    expect(unknown).toEqual([]);
  });
});

// --- Dockerfile -------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Instructions by stage: continuation lines joined, comment lines dropped, global ARGs resolved in FROM. */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue;
    const line = raw.trimEnd();
    if (line.endsWith('\\')) current += `${line.slice(0, -1)} `;
    else {
      current += line;
      if (current.trim()) logical.push(current.trim());
      current = '';
    }
  }
  const globals: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image = '', , name] = args.replace(/--platform=\S+\s+/, '').split(/\s+/);
      const from = image.replace(/\$\{?(\w+)\}?/g, (_, v: string) => globals[v] ?? '');
      stages.push({ from, name, instructions: [] });
    } else if (stages.length === 0 && upper === 'ARG') {
      const [name = '', value = ''] = args.split('=');
      globals[name] = value;
    } else stages.at(-1)?.instructions.push({ keyword: upper, args });
  }
  return stages;
}

const stages = parseDockerfile(read('Dockerfile'));
const runtime = stages.at(-1) ?? { from: '', name: undefined, instructions: [] };
const stageNamed = (name: string) => stages.find((s) => s.name === name);
/** The stage and the stages it is built FROM, nearest first. */
const lineage = (stage: Stage): Stage[] => {
  const parent = stageNamed(stage.from);
  return parent ? [stage, ...lineage(parent)] : [stage];
};
const runs = (stage: Stage, pattern: RegExp) => stage.instructions.some((i) => i.keyword === 'RUN' && pattern.test(i.args));
const stageRunning = (pattern: RegExp) => stages.find((s) => runs(s, pattern));
const args = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
/** COPY instructions as { from, sources, dest }. */
const copies = (stage: Stage) =>
  args(stage, 'COPY').map((a) => {
    const words = a.split(/\s+/);
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
    const paths = words.filter((w) => !w.startsWith('--'));
    return { from, sources: paths.slice(0, -1).map((p) => p.replace(/\/$/, '')), dest: paths.at(-1) ?? '' };
  });
const execForm = (text: string): string[] => JSON.parse(text) as string[];

describe('Dockerfile', () => {
  it('builds in several stages and runs on a slim Node image of the major version package.json needs', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const image = lineage(runtime).at(-1)?.from ?? '';
    const major = Number(/^node:(\d+)/.exec(image)?.[1]);
    const needed = Number(/(\d+)/.exec(JSON.parse(read('package.json')).engines.node)?.[1]);
    expect(major).toBeGreaterThanOrEqual(needed);
    expect(image).toMatch(/-slim$|-alpine$/);
  });

  it('compiles with dev dependencies in one stage and installs production dependencies alone in another', () => {
    const build = stageRunning(/\bnpm run build\b/);
    const prod = stageRunning(/\bnpm ci\b.*--omit=dev/);
    expect(build).toBeDefined();
    expect(prod).toBeDefined();
    if (!build || !prod) return;
    expect(runs(build, /\bnpm ci\b(?!.*--omit)/)).toBe(true);
    expect(lineage(prod)).not.toContain(build);
    // better-sqlite3 compiles when no prebuilt binary matches: every install has a toolchain.
    for (const stage of [build, prod]) {
      const installs = lineage(stage)
        .flatMap((s) => args(s, 'RUN'))
        .join('\n');
      expect(installs).toMatch(/apt-get install[^&]*\bpython3\b[^&]*\bmake\b[^&]*\bg\+\+/);
    }
    // tsc -p tsconfig.build.json needs both tsconfigs and every folder it includes.
    const buildConfig = JSON.parse(read('tsconfig.build.json')) as { include: string[]; compilerOptions: { outDir: string } };
    const copied = lineage(build).flatMap((s) => copies(s).flatMap((c) => c.sources));
    expect(copied).toEqual(expect.arrayContaining(['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', ...buildConfig.include]));
    expect(buildConfig.compilerOptions.outDir).toBe('dist');
  });

  it('ships only dist/, content/, production node_modules and package.json', () => {
    const build = stageRunning(/\bnpm run build\b/);
    const prod = stageRunning(/\bnpm ci\b.*--omit=dev/);
    const shipped = copies(runtime);
    expect(shipped).toContainEqual({ from: prod?.name, sources: ['/app/node_modules'], dest: './node_modules' });
    expect(shipped).toContainEqual({ from: build?.name, sources: ['/app/dist'], dest: './dist' });
    expect(shipped).toContainEqual({ from: undefined, sources: ['content'], dest: './content' });
    const local = shipped.filter((c) => c.from === undefined).flatMap((c) => c.sources);
    expect(local.sort()).toEqual(['content', 'package.json']);
  });

  it('runs as the non-root node user in /app with NODE_ENV=production and a writable /app/data', () => {
    expect(args(runtime, 'USER').at(-1)).toBe('node');
    expect(args(runtime, 'WORKDIR').at(-1)).toBe('/app');
    expect(args(runtime, 'ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/);
    expect(runs(runtime, /mkdir -p \/app\/data\b.*chown node:node \/app\/data\b/)).toBe(true);
    const userAt = runtime.instructions.findIndex((i) => i.keyword === 'USER');
    const lastRunAt = runtime.instructions.map((i) => i.keyword).lastIndexOf('RUN');
    expect(userAt).toBeGreaterThan(lastRunAt);
  });

  it('sets only variables the bot reads at run time', () => {
    const names = args(runtime, 'ENV').flatMap((a) => [...a.matchAll(/([A-Za-z_]\w*)=/g)].map((m) => m[1] ?? ''));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !KNOWN.has(name))).toEqual([]);
  });

  it('exposes the port the bot listens on and checks /healthz with node itself', () => {
    expect(args(runtime, 'EXPOSE')).toEqual([BOT_PORT]);
    expect(args(runtime, 'ENV').join(' ')).toMatch(new RegExp(`\\bPORT=${BOT_PORT}\\b`));
    const healthcheck = args(runtime, 'HEALTHCHECK').join(' ');
    const command = execForm(healthcheck.slice(healthcheck.indexOf('CMD') + 3).trim());
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command[2]).toMatch(/fetch\('http:\/\/127\.0\.0\.1:'\+\(process\.env\.PORT\|\|8080\)\+'\/healthz'\)/);
  });

  it('starts the compiled entry point with plain node, with the flags of npm start, under an init as PID 1', () => {
    const cmd = execForm(args(runtime, 'CMD').at(-1) ?? '[]');
    // npm start runs the launcher (build when sources changed, then dist/adapters/main.js in-process);
    // the image has no sources, so it runs the entry point itself with the same node flags.
    const flags =
      /\bnode\s+((?:--[\w-]+(?:=\S+)?\s+)*)adapters\/launch\.mjs main$/.exec(JSON.parse(read('package.json')).scripts.start)?.[1] ?? '';
    expect(cmd).toEqual(['node', ...flags.split(/\s+/).filter(Boolean), 'dist/adapters/main.js']);
    expect(flags).toContain('--liftoff-only');
    expect(existsSync(join(ROOT, 'adapters/main.ts'))).toBe(true);
    // tini forwards SIGTERM so the graceful shutdown runs (else every bot service needs init: true).
    const entrypoint = execForm(args(runtime, 'ENTRYPOINT').at(-1) ?? '[]');
    const composeInit = [base, scaled].every((f) =>
      Object.values(f.services)
        .filter(runsBot)
        .every((s) => s.init === true),
    );
    if (!composeInit) {
      expect(entrypoint[0]).toMatch(/\/(tini|dumb-init)$/);
      const tool = entrypoint[0]?.split('/').at(-1) ?? '';
      expect(runs(runtime, new RegExp(`apt-get install[^&]*\\b${tool}\\b`))).toBe(true);
    }
  });
});

// --- .dockerignore ----------------------------------------------------------------------------

/** Docker's rules: the last pattern matching a path (or a folder above it) decides; `!` re-includes. */
function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const include = l.startsWith('!');
      const pattern = (include ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
      const source = pattern
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((part) =>
          part === '**/'
            ? '(?:.*/)?'
            : part === '**'
              ? '.*'
              : part === '*'
                ? '[^/]*'
                : part === '?'
                  ? '[^/]'
                  : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      return { include, regex: new RegExp(`^${source}$`) };
    });
  return (path) => {
    const parts = path.split('/');
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) if (candidates.some((c) => rule.regex.test(c))) ignored = !rule.include;
    return ignored;
  };
}

function someFileIn(path: string): string {
  const full = join(ROOT, path);
  if (!statSync(full).isDirectory()) return path;
  const entry = readdirSync(full).sort()[0];
  if (!entry) throw new Error(`${path} is empty`);
  return someFileIn(`${path}/${entry}`);
}

describe('.dockerignore', () => {
  const ignored = dockerignore(read('.dockerignore'));

  it('sends everything the Dockerfile copies from the build context', () => {
    const sources = stages.flatMap((s) =>
      copies(s)
        .filter((c) => c.from === undefined)
        .flatMap((c) => c.sources),
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) expect([source, ignored(someFileIn(source))]).toEqual([source, false]);
  });

  it.each([
    '.env',
    '.env.production',
    'src/.env',
    'node_modules/zod/package.json',
    'dist/adapters/main.js',
    'data/bot.sqlite',
    '.git/HEAD',
    'coverage/index.html',
    'npm-debug.log',
    'scratch/prof.mts',
    'test/infra/deploy.test.ts',
  ])('keeps %s out', (path) => {
    expect(ignored(path)).toBe(true);
  });
});

// --- Compose itself, where its CLI is installed -----------------------------------------------

const hasCompose = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
/** Compose v1 (Debian's docker-compose 1.29): the oldest these files are meant for. */
const hasComposeV1 = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasCompose)('docker compose config', () => {
  const env = { ...process.env, TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram', WEBHOOK_DOMAIN: 'bot.example.com' };
  it.each([[[BASE_FILE]], [[BASE_FILE, SCALED_FILE]]])('accepts %j', (files) => {
    const result = spawnSync('docker', ['compose', ...files.flatMap((f) => ['-f', f]), 'config', '-q'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe.skipIf(!hasComposeV1)('docker-compose (v1) config', () => {
  const env = { ...process.env, TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram', WEBHOOK_DOMAIN: 'bot.example.com' };
  it.each([[[BASE_FILE]], [[BASE_FILE, SCALED_FILE]]])('accepts %j, with no .env', (files) => {
    expect(existsSync(join(ROOT, '.env'))).toBe(false);
    const result = spawnSync('docker-compose', [...files.flatMap((f) => ['-f', f]), 'config', '-q'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
