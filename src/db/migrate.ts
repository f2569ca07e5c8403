import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import { isPostgres } from './database.js';
import * as initial from './migrations/20261124T000000-initial.js';
import * as users from './migrations/20261124T010000-users.js';
import * as idempotency from './migrations/20261124T020000-idempotency.js';
import * as postgresParity from './migrations/20261125T000000-postgres-parity.js';
import * as nameSearch from './migrations/20261129T000000-name-search.js';
import * as security from './migrations/20261129T000000-security.js';
import * as tagLinksInItemOrder from './migrations/20261129T000100-tag-links-in-item-order.js';
import * as rateLimits from './migrations/20261130T000000-rate-limits.js';

// Listed by hand, oldest first, so the set of migrations is explicit and works the same from source or a bundle.
const migrations: Record<string, Migration> = {
  '20261124T000000-initial': initial,
  '20261124T010000-users': users,
  '20261124T020000-idempotency': idempotency,
  '20261125T000000-postgres-parity': postgresParity,
  '20261129T000000-name-search': nameSearch,
  '20261129T000000-security': security,
  '20261129T000100-tag-links-in-item-order': tagLinksInItemOrder,
  '20261130T000000-rate-limits': rateLimits,
};

/** The names of every migration, oldest first. */
export const migrationNames = Object.keys(migrations);

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date. Used by the server at start-up, `npm run db:migrate` and the tests. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  const { error, results } = await (await migratorOf(db)).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of the migrations not yet applied: none when the schema is current. */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const all = await (await migratorOf(db)).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/**
 * On PostgreSQL, Kysely looks for its bookkeeping tables in every schema unless told which one: name the
 * schema the connection works in, so that databases in other schemas of one server do not mislead it.
 */
async function migratorOf<DB>(db: Kysely<DB>): Promise<Migrator> {
  if (!isPostgres(db)) return new Migrator({ db, provider });
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return new Migrator({ db, provider, migrationTableSchema: rows[0]?.schema ?? 'public' });
}
