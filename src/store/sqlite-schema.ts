import type BetterSqlite3 from 'better-sqlite3';

export type SqliteDatabase = BetterSqlite3.Database;

export interface LeaseStatements {
  acquire: BetterSqlite3.Statement<[string, string, number, number], { name: string }>;
  release: BetterSqlite3.Statement<[string, string]>;
  current: BetterSqlite3.Statement<[string, number], { holder: string; expires: number }>;
  takeOver: BetterSqlite3.Statement<[string, number, string, string], { name: string }>;
}

export interface QueueStatements {
  put: BetterSqlite3.Statement<[string, string, number]>;
  remove: BetterSqlite3.Statement<[string, string]>;
  due: BetterSqlite3.Statement<[string, number, number], { member: string; dueAt: number }>;
  all: BetterSqlite3.Statement<[string], { member: string; dueAt: number }>;
}

/** Pragmas and the tables for claims, the due queue and leases (the key-value tables belong to the adapter). */
export function createSchema(db: SqliteDatabase, path: string): void {
  // WAL lets readers and the writer proceed together; NORMAL sync is safe with WAL.
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, expires INTEGER NOT NULL)');
  db.exec(
    'CREATE TABLE IF NOT EXISTS due_queue (name TEXT NOT NULL, member TEXT NOT NULL, due_at INTEGER NOT NULL, PRIMARY KEY (name, member)); CREATE INDEX IF NOT EXISTS due_queue_by_time ON due_queue (name, due_at)',
  );
  db.exec('CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires INTEGER NOT NULL)');
}

export function prepareLeaseStatements(db: SqliteDatabase): LeaseStatements {
  return {
    acquire: db.prepare<[string, string, number, number], { name: string }>(
      'INSERT INTO leases (name, holder, expires) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires WHERE leases.expires <= ? OR leases.holder = excluded.holder RETURNING name',
    ),
    release: db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND holder = ?'),
    current: db.prepare<[string, number], { holder: string; expires: number }>(
      'SELECT holder, expires FROM leases WHERE name = ? AND expires > ?',
    ),
    // Only while the row still names the holder found gone: a conditional update is the compare-and-set.
    takeOver: db.prepare<[string, number, string, string], { name: string }>(
      'UPDATE leases SET holder = ?, expires = ? WHERE name = ? AND holder = ? RETURNING name',
    ),
  };
}

export function prepareQueueStatements(db: SqliteDatabase): QueueStatements {
  return {
    put: db.prepare<[string, string, number]>(
      'INSERT INTO due_queue (name, member, due_at) VALUES (?, ?, ?) ON CONFLICT(name, member) DO UPDATE SET due_at = excluded.due_at',
    ),
    remove: db.prepare<[string, string]>('DELETE FROM due_queue WHERE name = ? AND member = ?'),
    due: db.prepare<[string, number, number], { member: string; dueAt: number }>(
      'SELECT member, due_at AS dueAt FROM due_queue WHERE name = ? AND due_at <= ? ORDER BY due_at LIMIT ?',
    ),
    all: db.prepare<[string], { member: string; dueAt: number }>(
      'SELECT member, due_at AS dueAt FROM due_queue WHERE name = ? ORDER BY due_at',
    ),
  };
}
