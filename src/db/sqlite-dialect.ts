import type { Database } from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

/**
 * Kysely's SQLite dialect with two corrections for a file that more than one process writes:
 *
 * - Transactions begin with `BEGIN IMMEDIATE`, which takes the write lock at once and, while another process holds
 *   it, waits on `busy_timeout`. A plain `BEGIN` reads first and asks for the lock at its first write; if another
 *   process has written meanwhile SQLite cannot wait (the read would be stale) and answers SQLITE_BUSY at once.
 *   Every transaction the API runs is a write (reads run outside transactions), so nothing is lost by this.
 * - Migrations run in a transaction. SQLite's DDL is transactional, but Kysely's SQLite adapter says it is not,
 *   so its migrator ran each statement on its own and a kill between two left a half-applied migration.
 *
 * A rollback after SQLite has already rolled the transaction back itself (it does on SQLITE_FULL and some I/O
 * errors) is skipped, so the error that caused it goes up instead of "cannot rollback - no transaction is active".
 */
export class SafeSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #sqlite: Database;
  readonly #onDestroy: (() => Promise<void>) | undefined;

  /** `onDestroy` runs when the database is destroyed, before the connection closes (the read workers stop). */
  constructor(sqlite: Database, config: SqliteDialectConfig, onDestroy?: () => Promise<void>) {
    super(config);
    this.#sqlite = sqlite;
    this.#config = config;
    this.#onDestroy = onDestroy;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#sqlite, this.#onDestroy);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #sqlite: Database;
  readonly #onDestroy: (() => Promise<void>) | undefined;

  constructor(config: SqliteDialectConfig, sqlite: Database, onDestroy?: () => Promise<void>) {
    super(config);
    this.#sqlite = sqlite;
    this.#onDestroy = onDestroy;
  }

  override async destroy(): Promise<void> {
    await this.#onDestroy?.();
    await super.destroy();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#sqlite.inTransaction) await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
}
