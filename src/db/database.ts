import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type LogConfig, PostgresAdapter, PostgresDialect } from 'kysely';
import { watchPool } from '../observability/metrics.js';
import { observedDialect } from '../observability/observed-dialect.js';
import { ReadWorkers } from './read-workers.js';
import type { Database } from './schema.js';
import { SafeSqliteDialect } from './sqlite-dialect.js';
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
 * created with its folder if missing, or `:memory:`). Every statement is timed, and traced while tracing is on
 * (src/observability/observed-dialect.ts).
 */
export function createDatabase(
  databaseUrl: string,
  options: { log?: LogConfig; onConnectionError?: (error: Error) => void; readWorkers?: number } = {},
): Db {
  const { onConnectionError, readWorkers, ...kyselyOptions } = options;
  if (isPostgresUrl(databaseUrl)) {
    const dialect = observedDialect(postgresDialect(databaseUrl, onConnectionError), 'postgresql');
    return new Kysely<Database>({ dialect, ...kyselyOptions });
  }
  const { dialect, file, readers } = sqliteDialect(databaseUrl, readWorkers);
  const db = new Kysely<Database>({ dialect: observedDialect(dialect, 'sqlite'), ...kyselyOptions });
  if (file) openedFiles.set(db, file);
  if (readers) readWorkersByDb.set(db, readers);
  return db;
}

const readWorkersByDb = new WeakMap<object, ReadWorkers>();

/**
 * The worker threads that run `db`'s costlier list reads off the event loop (read-workers.ts): for a SQLite file
 * only (`:memory:` is one connection's own; PostgreSQL's driver never blocks the loop), and not for a transaction.
 */
export function readWorkersOf(db: Db): ReadWorkers | undefined {
  return readWorkersByDb.get(db);
}

/** The file a SQLite database was opened from: its path and, to notice it being replaced or removed, its inode. */
export interface OpenedFile {
  path: string;
  dev: number;
  ino: number;
}

const openedFiles = new WeakMap<object, OpenedFile>();

/** The SQLite file `db` holds open; undefined for PostgreSQL and `:memory:`. */
export function openedFileOf(db: Db): OpenedFile | undefined {
  return openedFiles.get(db);
}

function sqliteDialect(
  databaseUrl: string,
  workers?: number,
): { dialect: SafeSqliteDialect; file?: OpenedFile; readers?: ReadWorkers } {
  const inMemory = databaseUrl === ':memory:';
  if (!inMemory) mkdirSync(dirname(databaseUrl), { recursive: true });
  const sqlite = new SQLite(databaseUrl);
  // WAL lets readers run beside the writer; FULL syncs every commit so an acknowledged write survives a crash
  // or power loss; the busy timeout makes a second connection wait for the lock instead of failing.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const readers = inMemory || workers === 0 ? undefined : new ReadWorkers(databaseUrl, workers);
  const dialect = new SafeSqliteDialect(sqlite, { database: cachingStatements(sqlite) }, () =>
    readers ? readers.close() : Promise.resolve(),
  );
  if (inMemory) return { dialect };
  const { dev, ino } = statSync(databaseUrl);
  return { dialect, file: { path: databaseUrl, dev, ino }, ...(readers && { readers }) };
}

/**
 * `pg` is loaded only when a PostgreSQL URL is given: a SQLite instance never uses it, and it would hold about
 * 2.5 MB of heap in every such process.
 */
const require = createRequire(import.meta.url);

/**
 * Time limits that turn a database that does not answer into an error within seconds, which the API answers with
 * 503: getting a connection, a statement on the server, and a query as the client waits for it.
 */
export const postgresTimeouts = { connectionMs: 5_000, statementMs: 10_000, queryMs: 15_000 };

function postgresDialect(databaseUrl: string, onConnectionError?: (error: Error) => void): PostgresDialect {
  const pg = require('pg') as typeof import('pg');
  // PostgreSQL's bigint (a count) arrives as a string by default; SQLite gives a number. Counts never pass 2^53.
  const int8 = 20;
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === int8 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  // Each instance holds at most `max` connections; several instances share the server's max_connections.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    types,
    connectionTimeoutMillis: postgresTimeouts.connectionMs,
    statement_timeout: postgresTimeouts.statementMs,
    query_timeout: postgresTimeouts.queryMs,
    idle_in_transaction_session_timeout: postgresTimeouts.queryMs,
  });
  // A connection the server ends (a restart, a failover, an administrator) emits 'error'; with no listener that
  // would end the process. The pool drops the connection and opens a new one when next asked; queries meanwhile
  // fail and are answered 503. Connections in use get a listener too, for an error between two of their queries.
  const lost = (error: Error) => onConnectionError?.(error);
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  watchPool(pool);
  return new PostgresDialect({ pool });
}
