// Frozen in time: a migration never imports application code, so it means the same thing forever.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Indexes that find names containing a text, so that `q` costs what its matches cost, not what the table does.
 * - SQLite: an FTS5 table per searched table, with the trigram tokenizer, holding lower(name) (SQLite's lower()
 *   folds A-Z only, as `q` does) under the row's rowid. It is contentless (`content=''`: the names stay in their
 *   table only) and `contentless_delete=1`, so triggers keep it in step on insert, rename and delete (a store's
 *   cascade to its items and tags included).
 * - PostgreSQL: pg_trgm's GIN index on lower(name), which serves `lower(name) like '%…%'`. pg_trgm ships with
 *   PostgreSQL and is a trusted extension (13+), so a database owner may create it. It goes into the current
 *   schema unless the database already has it; the index names the operator class by that schema.
 */
const tables = ['stores', 'items', 'tags'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`create extension if not exists pg_trgm`.execute(db);
    const { rows } = await sql<{ schema: string }>`
      select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where e.extname = 'pg_trgm'`.execute(db);
    const schema = rows[0]?.schema ?? 'public';
    for (const table of tables) {
      await sql`create index ${sql.id(`${table}_name_trgm_idx`)} on ${sql.table(table)}
        using gin (lower(name) ${sql.id(schema, 'gin_trgm_ops')})`.execute(db);
    }
    return;
  }
  for (const table of tables) {
    const search = sql.table(`${table}_name_search`);
    const t = sql.table(table);
    await sql`create virtual table ${search} using fts5(
      name, tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1)`.execute(db);
    await sql`insert into ${search} (rowid, name) select rowid, lower(name) from ${t}`.execute(db);
    await sql`create trigger ${sql.id(`${table}_name_search_insert`)} after insert on ${t} begin
      insert into ${search} (rowid, name) values (new.rowid, lower(new.name));
    end`.execute(db);
    await sql`create trigger ${sql.id(`${table}_name_search_rename`)} after update of name on ${t} begin
      delete from ${search} where rowid = old.rowid;
      insert into ${search} (rowid, name) values (new.rowid, lower(new.name));
    end`.execute(db);
    await sql`create trigger ${sql.id(`${table}_name_search_delete`)} after delete on ${t} begin
      delete from ${search} where rowid = old.rowid;
    end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of tables) {
    if (isPostgres(db)) {
      await sql`drop index ${sql.id(`${table}_name_trgm_idx`)}`.execute(db);
      continue;
    }
    for (const change of ['insert', 'rename', 'delete']) {
      await sql`drop trigger ${sql.id(`${table}_name_search_${change}`)}`.execute(db);
    }
    await sql`drop table ${sql.table(`${table}_name_search`)}`.execute(db);
  }
}

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
