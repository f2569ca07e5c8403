import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type LogConfig, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';
import { cachingStatements } from './statement-cache.js';

export type Db = Kysely<Database>;

/** Opens the SQLite database named by `databaseUrl` (a file path, created with its folder if missing, or `:memory:`). */
export function createDatabase(databaseUrl: string, options: { log?: LogConfig } = {}): Db {
  if (databaseUrl !== ':memory:') mkdirSync(dirname(databaseUrl), { recursive: true });
  const sqlite = new SQLite(databaseUrl);
  // WAL lets readers run beside the writer; FULL syncs every commit so an acknowledged write survives a crash
  // or power loss; the busy timeout makes a second connection wait for the lock instead of failing.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }), ...options });
}
