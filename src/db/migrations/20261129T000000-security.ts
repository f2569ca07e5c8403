// Frozen in time: a migration never imports application code, so it means the same thing forever.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // On PostgreSQL text compares by bytes, as on SQLite (see the postgres-parity migration).
  const text = db.getExecutor().adapter instanceof PostgresAdapter ? sql`text collate "C"` : 'text';
  // Secrets made at random on first start when the environment gives none (outside production): kept here, not
  // in a file, so that every instance on one database signs with the same ones and a restart keeps them.
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', text, (c) => c.primaryKey())
    .addColumn('value', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();

  // Sign-in attempts per account (by a keyed hash of the e-mail address, known account or not), shared by every
  // instance: past a few failures, each attempt must wait longer. Times in epoch milliseconds, so that one
  // upsert can work out the next wait on SQLite and PostgreSQL alike.
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('account', text, (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('delay_ms', 'bigint', (c) => c.notNull())
    .addColumn('blocked_until_ms', 'bigint', (c) => c.notNull())
    .addColumn('last_failed_ms', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_failures').execute();
  await db.schema.dropTable('server_secrets').execute();
}
