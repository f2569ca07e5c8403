// Frozen in time: a migration never imports application code, so it means the same thing forever.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // On PostgreSQL text compares by bytes, as on SQLite (see the postgres-parity migration).
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const text = postgres ? sql`text collate "C"` : 'text';
  // Per-client rate-limit windows, shared by every instance on the database: one row per limit and client
  // (`createToken|192.0.2.1`), its count in the current fixed window and the epoch ms (the database's clock) when
  // that window ends. One upsert counts a request; rows whose window has ended are deleted by a timer.
  // On PostgreSQL the table is unlogged: a count is written to no WAL, so it costs no flush to disk (a crash or
  // a failover empties it, which gives clients one fresh window, nothing worse).
  await db.schema
    .createTable('rate_limit_windows')
    .$call((table) => (postgres ? table.modifyFront(sql`unlogged`) : table))
    .addColumn('key', text, (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('window_ends_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_windows_by_end').on('rate_limit_windows').column('window_ends_ms').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_windows').execute();
}
