import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.ts';
import type { Metrics } from './metrics.ts';

/** A route of another part (the Telegram webhook): true when it answered the request. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Named readiness checks: each resolves true when that part can do its work now. */
export type ReadinessChecks = Record<string, () => Promise<boolean> | boolean>;

export interface OpsServer {
  readonly port: number;
  /** Adds a route tried before the built-in ones. */
  route(handler: RouteHandler): void;
  /** Adds a readiness check (an adapter once connected). */
  check(name: string, probe: () => Promise<boolean> | boolean): void;
  /**
   * Adds a line /readyz shows under `info` without affecting readiness: a part that works but
   * not fully (a scheduler on standby). `undefined` says nothing.
   */
  info(name: string, describe: () => string | undefined): void;
  close(): Promise<void>;
}

/** A check that does not answer in this time counts as failed (a hung Redis must not hang /readyz). */
const CHECK_TIMEOUT_MS = 2000;

async function probeAll(checks: ReadinessChecks): Promise<Record<string, boolean>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, probe]) => {
      const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), CHECK_TIMEOUT_MS).unref());
      const ok = await Promise.race([Promise.resolve().then(probe), timeout]).catch(() => false);
      return [name, ok] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * One HTTP port for operators and platforms: /healthz (the process is alive), /readyz (every
 * check passes, else 503 with which failed; plus any `info` lines), /metrics (Prometheus), and routes other parts add.
 */
export async function startOpsServer(options: {
  port: number;
  logger: Logger;
  metrics: Metrics;
  checks?: ReadinessChecks;
}): Promise<OpsServer> {
  const { logger, metrics } = options;
  metrics.collectProcessMetrics();
  const routes: RouteHandler[] = [];
  const checks: ReadinessChecks = { ...options.checks };
  const notes = new Map<string, () => string | undefined>();
  const describeAll = () => {
    const lines = [...notes].flatMap(([name, describe]) => {
      const text = describe();
      return text === undefined ? [] : [[name, text] as const];
    });
    return lines.length > 0 ? { info: Object.fromEntries(lines) } : {};
  };
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));

  const server: Server = createServer((req, res) => {
    void (async () => {
      for (const route of routes) if (await route(req, res)) return;
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
      if (path === '/healthz') return json(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        const results = await probeAll(checks);
        const ready = Object.values(results).every(Boolean);
        return json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: results, ...describeAll() });
      }
      if (path === '/metrics') {
        const body = await metrics.registry.metrics();
        return res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
      }
      return json(res, 404, { error: 'not found' });
    })().catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, 'ops server: request failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.info({ port }, 'ops server listening: /healthz /readyz /metrics');
  return {
    port,
    route: (handler) => void routes.push(handler),
    check: (name, probe) => {
      checks[name] = probe;
    },
    info: (name, describe) => void notes.set(name, describe),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
