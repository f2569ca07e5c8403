// Frozen in time: a migration never imports application code, so it means the same thing forever.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Unique names, and the keyset order of listStores: (name, id) and (created_at, id).
  await db.schema.createIndex('stores_name_key').on('stores').columns(['name']).unique().execute();
  await db.schema.createIndex('stores_created_at_id_idx').on('stores').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('price_cents', 'integer', (c) => c.notNull().check(sql`price_cents >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Item names are unique per store; every sort of listItems has an index with id as the tie-breaker,
  // both across stores and within one store, so each page is a range scan.
  await db.schema.createIndex('items_store_id_name_key').on('items').columns(['store_id', 'name']).unique().execute();
  for (const column of ['name', 'price_cents', 'created_at']) {
    await db.schema.createIndex(`items_${column}_id_idx`).on('items').columns([column, 'id']).execute();
  }
  for (const column of ['price_cents', 'created_at']) {
    await db.schema
      .createIndex(`items_store_id_${column}_id_idx`)
      .on('items')
      .columns(['store_id', column, 'id'])
      .execute();
  }

  await db.schema
    .createTable('tags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tags_store_id_name_key').on('tags').columns(['store_id', 'name']).unique().execute();
  await db.schema.createIndex('tags_name_id_idx').on('tags').columns(['name', 'id']).execute();

  // Deleting an item removes its links (cascade). A tag that still has links cannot be deleted on its own:
  // NO ACTION is checked at the end of the statement, so deleting a whole store (which cascades to its items,
  // their links and its tags in one statement) still works, on SQLite and PostgreSQL alike.
  await db.schema
    .createTable('item_tags')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('tag_id', 'text', (c) => c.notNull().references('tags.id'))
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(nowAsText(db)))
    .addPrimaryKeyConstraint('item_tags_pkey', ['item_id', 'tag_id'])
    .execute();
  await db.schema.createIndex('item_tags_tag_id_item_id_idx').on('item_tags').columns(['tag_id', 'item_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['item_tags', 'tags', 'items', 'stores']) {
    await db.schema.dropTable(table).execute();
  }
}

/** The current time as ISO 8601 text with milliseconds in UTC (`2026-11-24T10:00:00.000Z`), on either database. */
function nowAsText(db: Kysely<unknown>) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql`(to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`
    : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
}
