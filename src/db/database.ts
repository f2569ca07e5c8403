import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type LogConfig, PostgresAdapter, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';
import { cachingStatements } from './statement-cache.js';

export type Db = Kysely<Database>;

/** True for a `postgres://` or `postgresql://` URL: PostgreSQL; anything else names a SQLite database. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(?:ql)?:\/\//.test(databaseUrl);
}

/** True when `db` talks to PostgreSQL: the few places where SQL must differ ask this, all of them in `src/db/`. */
export function isPostgres<DB>(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Opens the database named by `databaseUrl`: PostgreSQL for a `postgres://` URL, otherwise SQLite (a file path,
 * created with its folder if missing, or `:memory:`).
 */
export function createDatabase(databaseUrl: string, options: { log?: LogConfig } = {}): Db {
  const dialect = isPostgresUrl(databaseUrl) ? postgresDialect(databaseUrl) : sqliteDialect(databaseUrl);
  return new Kysely<Database>({ dialect, ...options });
}

function sqliteDialect(databaseUrl: string): SqliteDialect {
  if (databaseUrl !== ':memory:') mkdirSync(dirname(databaseUrl), { recursive: true });
  const sqlite = new SQLite(databaseUrl);
  // WAL lets readers run beside the writer; FULL syncs every commit so an acknowledged write survives a crash
  // or power loss; the busy timeout makes a second connection wait for the lock instead of failing.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database: cachingStatements(sqlite) });
}

/**
 * `pg` is loaded only when a PostgreSQL URL is given: a SQLite instance never uses it, and it would hold about
 * 2.5 MB of heap in every such process.
 */
const require = createRequire(import.meta.url);

function postgresDialect(databaseUrl: string): PostgresDialect {
  const pg = require('pg') as typeof import('pg');
  // PostgreSQL's bigint (a count) arrives as a string by default; SQLite gives a number. Counts never pass 2^53.
  const int8 = 20;
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === int8 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  // Each instance holds at most `max` connections; several instances share the server's max_connections.
  return new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 10, types }) });
}
