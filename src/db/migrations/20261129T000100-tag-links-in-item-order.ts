// Frozen in time: a migration never imports application code, so it means the same thing forever.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * A tag's items in every order listItems sorts by, as index ranges: each link carries its item's name, price and
 * creation time, indexed after the tag (`(tag_id, item_name, item_id)` and so on). Triggers keep the copies equal
 * to the item's: set when a link is made, changed when the item is. Then a page of a tag's items reads one range
 * of one index, however many items the tag is on.
 */
const copies = [
  ['item_name', 'name'],
  ['item_price_cents', 'price_cents'],
  ['item_created_at', 'created_at'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = isPostgres(db);
  await db.schema
    .alterTable('item_tags')
    .addColumn('item_name', postgres ? sql`text collate "C"` : 'text')
    .execute();
  await db.schema
    .alterTable('item_tags')
    .addColumn('item_price_cents', postgres ? 'bigint' : 'integer')
    .execute();
  await db.schema
    .alterTable('item_tags')
    .addColumn('item_created_at', postgres ? sql`text collate "C"` : 'text')
    .execute();
  await sql`update item_tags set
    item_name = (select name from items where items.id = item_tags.item_id),
    item_price_cents = (select price_cents from items where items.id = item_tags.item_id),
    item_created_at = (select created_at from items where items.id = item_tags.item_id)`.execute(db);
  for (const [copy] of copies) {
    await db.schema
      .createIndex(`item_tags_tag_id_${copy}_item_id_idx`)
      .on('item_tags')
      .columns(['tag_id', copy, 'item_id'])
      .execute();
  }
  if (postgres) {
    await sql`create function item_tags_copy_item() returns trigger language plpgsql as $$
      begin
        select name, price_cents, created_at into new.item_name, new.item_price_cents, new.item_created_at
        from items where id = new.item_id;
        return new;
      end $$`.execute(db);
    await sql`create trigger item_tags_copy_item before insert on item_tags
      for each row execute function item_tags_copy_item()`.execute(db);
    await sql`create function items_copy_to_tags() returns trigger language plpgsql as $$
      begin
        update item_tags set item_name = new.name, item_price_cents = new.price_cents,
          item_created_at = new.created_at
        where item_id = new.id;
        return null;
      end $$`.execute(db);
    await sql`create trigger items_copy_to_tags after update of name, price_cents, created_at on items
      for each row execute function items_copy_to_tags()`.execute(db);
    return;
  }
  await sql`create trigger item_tags_copy_item after insert on item_tags begin
    update item_tags set
      item_name = (select name from items where id = new.item_id),
      item_price_cents = (select price_cents from items where id = new.item_id),
      item_created_at = (select created_at from items where id = new.item_id)
    where item_id = new.item_id and tag_id = new.tag_id;
  end`.execute(db);
  await sql`create trigger items_copy_to_tags after update of name, price_cents, created_at on items begin
    update item_tags set item_name = new.name, item_price_cents = new.price_cents, item_created_at = new.created_at
    where item_id = new.id;
  end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger items_copy_to_tags on items`.execute(db);
    await sql`drop trigger item_tags_copy_item on item_tags`.execute(db);
    await sql`drop function items_copy_to_tags()`.execute(db);
    await sql`drop function item_tags_copy_item()`.execute(db);
  } else {
    await sql`drop trigger items_copy_to_tags`.execute(db);
    await sql`drop trigger item_tags_copy_item`.execute(db);
  }
  for (const [copy] of copies) {
    await db.schema.dropIndex(`item_tags_tag_id_${copy}_item_id_idx`).execute();
    await db.schema.alterTable('item_tags').dropColumn(copy).execute();
  }
}

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
