import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

/**
 * A keyv storage adapter on better-sqlite3: synchronous, in-process, prepared statements.
 * @keyv/sqlite (sqlite3) prepares a statement on the thread pool for every call, which made
 * store access the largest per-message cost of the bot (measured in `npm run bench`). The
 * table layout is the same as @keyv/sqlite's, so existing data files keep working.
 */
export class BetterSqliteAdapter extends EventEmitter implements KeyvStoreAdapter {
  opts: { dialect: 'sqlite'; table: string };
  namespace?: string;
  private readonly select: Database.Statement<[string], { value: string }>;
  private readonly upsert: Database.Statement<[string, string]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly removePrefix: Database.Statement<[string]>;
  private readonly upsertMany: (entries: readonly { key: string; value: unknown }[]) => void;

  constructor(db: Database.Database, table = 'kv') {
    super();
    this.opts = { dialect: 'sqlite', table };
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
    this.select = db.prepare(`SELECT value FROM ${table} WHERE key = ?`);
    this.upsert = db.prepare(`INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    this.remove = db.prepare(`DELETE FROM ${table} WHERE key = ?`);
    this.removePrefix = db.prepare(`DELETE FROM ${table} WHERE key LIKE ? ESCAPE '\\'`);
    // One transaction for a batch: one commit instead of one per record.
    this.upsertMany = db.transaction((entries: readonly { key: string; value: unknown }[]) => {
      for (const { key, value } of entries) this.upsert.run(key, typeof value === 'string' ? value : JSON.stringify(value));
    });
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return this.select.get(key)?.value as StoredData<Value> | undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    this.upsert.run(key, typeof value === 'string' ? value : JSON.stringify(value));
  }

  async setMany(entries: { key: string; value: unknown }[]): Promise<void> {
    this.upsertMany(entries);
  }

  async delete(key: string): Promise<boolean> {
    return this.remove.run(key).changes > 0;
  }

  async has(key: string): Promise<boolean> {
    return this.select.get(key) !== undefined;
  }

  async clear(): Promise<void> {
    const prefix = this.namespace ? `${this.namespace.replace(/[\\%_]/g, '\\$&')}:%` : '%';
    this.removePrefix.run(prefix);
  }
}
