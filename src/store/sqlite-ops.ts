import { StoreError } from '../errors.ts';
import type { LeaseStatements, QueueStatements } from './sqlite-schema.ts';
import type { DueQueue, Lease } from './store.ts';

/** Runs one statement; a failure becomes a StoreError naming what failed and the file. */
export type SqliteOp = <T>(what: string, op: () => T) => T;

export function sqliteOpFor(path: string): SqliteOp {
  return (what, op) => {
    try {
      return op();
    } catch (error) {
      throw new StoreError(`store ${what} (${path}): ${(error as Error).message}`, { cause: error });
    }
  };
}

export function sqliteLease(name: string, sql: LeaseStatements, sqliteOp: SqliteOp): Lease {
  return {
    acquire: async (holder, ttlMs) => {
      const now = Date.now();
      return sqliteOp(`lease ${name}`, () => sql.acquire.get(name, holder, now + ttlMs, now) !== undefined);
    },
    release: async (holder) => void sqliteOp(`lease ${name}`, () => sql.release.run(name, holder)),
    current: async () => sqliteOp(`lease ${name}`, () => sql.current.get(name, Date.now())),
    takeOver: async (expected, holder, ttlMs) =>
      sqliteOp(`lease ${name}`, () => sql.takeOver.get(holder, Date.now() + ttlMs, name, expected) !== undefined),
  };
}

export function sqliteDueQueue(name: string, sql: QueueStatements, sqliteOp: SqliteOp): DueQueue {
  return {
    put: async (member, dueAt) => void sqliteOp(`queue ${name}`, () => sql.put.run(name, member, dueAt)),
    remove: async (member) => void sqliteOp(`queue ${name}`, () => sql.remove.run(name, member)),
    due: async (at, limit) => sqliteOp(`queue ${name}`, () => sql.due.all(name, at, limit)),
    all: async () => sqliteOp(`queue ${name}`, () => sql.all.all(name)),
  };
}
