// Frozen in time: a migration never imports application code, so it means the same thing forever.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * On PostgreSQL, the columns so far made to behave as they do on SQLite; on SQLite this migration does nothing.
 * - Every text column compares and sorts by bytes (collation "C"), as SQLite's BINARY does, whatever the
 *   database's locale: names sort the same on both (`B` before `a`), keyset pages follow the indexes, and
 *   lower() folds ASCII letters only. Later migrations give new text columns `collate "C"` themselves; a test
 *   on PostgreSQL checks that every text column has it.
 * - Prices in cents are 64-bit, as SQLite's integers are: the largest price, 99999999.99, is past 2^31 cents.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await collateTextColumns(db, 'C');
  await sql`alter table items alter column price_cents type bigint`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter table items alter column price_cents type integer`.execute(db);
  await collateTextColumns(db, 'default');
}

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

async function collateTextColumns(db: Kysely<unknown>, collation: string): Promise<void> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and data_type = 'text' and table_name not like 'kysely_%'
    order by table_name, ordinal_position`.execute(db);
  const tables = new Map<string, string[]>();
  for (const { table_name, column_name } of rows) {
    tables.set(table_name, [...(tables.get(table_name) ?? []), column_name]);
  }
  for (const [table, columns] of tables) {
    const changes = columns.map((c) => sql`alter column ${sql.ref(c)} type text collate ${sql.id(collation)}`);
    await sql`alter table ${sql.table(table)} ${sql.join(changes)}`.execute(db);
  }
}
