import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from '../errors.ts';
import { createSqliteClaims, type SqliteClaimDeciders, sqliteClaims } from './sqlite-claims.ts';
import { createSqliteNamespaces } from './sqlite-namespaces.ts';
import { sqliteDueQueue, sqliteLease, sqliteOpFor } from './sqlite-ops.ts';
import {
  createSchema,
  type LeaseStatements,
  prepareLeaseStatements,
  prepareQueueStatements,
  type SqliteDatabase,
} from './sqlite-schema.ts';
import { PROBE_NAMESPACE, type Store } from './store.ts';

export async function openSqlite(path: string): Promise<Store> {
  const [{ default: Database }, { BetterSqliteAdapter }] = await Promise.all([import('better-sqlite3'), import('./sqlite-adapter.ts')]);
  ensureFolder(path);
  const { db, leaseSql, claims } = openDatabase(Database, path);
  const namespace = createSqliteNamespaces({ db, path, Adapter: BetterSqliteAdapter });
  const queueSql = prepareQueueStatements(db);
  const sqliteOp = sqliteOpFor(path);
  return {
    backend: 'sqlite',
    shared: false,
    lease: (name) => sqliteLease(name, leaseSql, sqliteOp),
    location: path,
    namespace,
    dueQueue: (name) => sqliteDueQueue(name, queueSql, sqliteOp),
    claims: (name, options = {}) => sqliteClaims(name, options.durability === 'batched' ? claims.batched : claims.immediate, path),
    async ping() {
      await pingSqlite(namespace, path);
    },
    async close() {
      closeSqlite(db, claims);
    },
  };
}

function ensureFolder(path: string): void {
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new StoreError(`cannot create the folder for ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Opens the file with its schema and the statements every store call needs; any failure is a StoreError. */
function openDatabase(
  Database: typeof BetterSqlite3,
  path: string,
): { db: SqliteDatabase; leaseSql: LeaseStatements; claims: SqliteClaimDeciders } {
  try {
    const db = new Database(path, { timeout: 5000 });
    createSchema(db, path);
    return { db, leaseSql: prepareLeaseStatements(db), claims: createSqliteClaims(db) };
  } catch (error) {
    throw new StoreError(`cannot open the SQLite file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

async function pingSqlite(namespace: Store['namespace'], path: string): Promise<void> {
  const probe = namespace<number>(PROBE_NAMESPACE);
  try {
    await probe.set('ping', Date.now());
    await probe.get('ping');
  } catch (error) {
    const cause = (error as StoreError).cause;
    throw new StoreError(`cannot write the SQLite file ${path}: ${cause instanceof Error ? cause.message : (error as Error).message}`, {
      cause: error,
    });
  }
}

function closeSqlite(db: SqliteDatabase, claims: SqliteClaimDeciders): void {
  if (!db.open) return;
  try {
    claims.flush();
  } finally {
    db.close();
  }
}
