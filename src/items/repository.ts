import { type RawBuilder, type Selectable, sql } from 'kysely';
import { boundedPage, type Page, type PageRequest, type Residual } from '../db/bounded-page.js';
import type { Db } from '../db/database.js';
import { type ConstraintBreach, catchConstraint } from '../db/errors.js';
import { nameContains } from '../db/keyset.js';
import type { ItemTable } from '../db/schema.js';

export type ItemRow = Selectable<ItemTable>;
export type ItemChanges = Partial<Pick<ItemRow, 'name' | 'description' | 'price_cents'>>;
export type TagRef = { itemId: string; id: string; name: string };

const sortColumns = { name: 'name', price: 'price_cents', createdAt: 'created_at' } as const;
export type ItemSortField = keyof typeof sortColumns;
const tagLinkColumns = { name: 'item_name', price: 'item_price_cents', createdAt: 'item_created_at' } as const;

export interface ItemFilter {
  storeId?: string | undefined;
  tagId?: string | undefined;
  minCents?: number | undefined;
  maxCents?: number | undefined;
  q?: string | undefined;
}

export function sortValue(row: ItemRow, field: ItemSortField): string | number {
  return field === 'name' ? row.name : field === 'price' ? row.price_cents : row.created_at;
}

export function findItem(db: Db, id: string): Promise<ItemRow | undefined> {
  return db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * One page of items. A store's items and a price range sorted by price are ranges of an index in the sort order;
 * a tag, a price range under another sort, and `q` are checked through their own indexes or within a bounded read
 * of that order (see `boundedPage`).
 */
export async function listItems(
  db: Db,
  filter: ItemFilter,
  order: { field: ItemSortField; descending: boolean },
  after: { value: string | number; id: string } | undefined,
  limit: number,
): Promise<Page<ItemRow>> {
  let storeId = filter.storeId;
  if (filter.tagId !== undefined && storeId !== undefined) {
    // A tag is on its own store's items only: another store's id leaves nothing, the same one adds nothing.
    const tag = await db
      .selectFrom('tags')
      .select('store_id')
      .where('id', '=', filter.tagId)
      .limit(1)
      .executeTakeFirst();
    if (tag?.store_id !== storeId) return { rows: [], next: undefined };
    storeId = undefined;
  }
  const served: RawBuilder<unknown>[] = [];
  const residuals: Residual[] = [];
  const store = storeId === undefined ? [] : [sql`items.store_id = ${storeId}`];
  served.push(...store);
  const priceOf = (column: string, from = { min: filter.minCents, max: filter.maxCents }) => [
    ...(from.min === undefined ? [] : [sql`${sql.ref(column)} >= ${from.min}`]),
    ...(from.max === undefined ? [] : [sql`${sql.ref(column)} <= ${from.max}`]),
  ];
  const price = priceOf('items.price_cents');
  // Sorted by price, a cursor's (price, id) comparison starts the range, and the price bound on its side is then
  // implied. Left in, it is a range start of its own: the database would start there and read every row up to the
  // cursor (300,000 of a million for a deep page of a wide range), so it is left out.
  const cursorPrice = order.field === 'price' && after !== undefined ? Number(after.value) : undefined;
  const sortedPrice = {
    min:
      cursorPrice !== undefined && !order.descending && cursorPrice >= (filter.minCents ?? 0)
        ? undefined
        : filter.minCents,
    max:
      cursorPrice !== undefined && order.descending && cursorPrice <= (filter.maxCents ?? Number.POSITIVE_INFINITY)
        ? undefined
        : filter.maxCents,
  };
  if (order.field === 'price') served.push(...priceOf('items.price_cents', sortedPrice));
  else if (price.length > 0) {
    // By price within the store when there is one: (store_id, price_cents, id), else (price_cents, id).
    const conditions = sql.join([...store, ...price], sql` and `);
    const select = sql`select items.id as key from items where ${conditions}`;
    residuals.push({ where: sql`(${conditions})`, candidates: { select, key: 'id' } });
  }
  let through: PageRequest<ItemRow>['through'];
  if (filter.tagId !== undefined) {
    residuals.push({
      where: sql`exists (select 1 from item_tags where item_tags.item_id = items.id and item_tags.tag_id = ${filter.tagId})`,
      candidates: { select: sql`select item_id as key from item_tags where tag_id = ${filter.tagId}`, key: 'id' },
      servedThrough: true,
    });
    // A tag's links carry their item's sort values (migration 20261129T000100): its items in any order are a range.
    through = {
      from: sql`item_tags join items on items.id = item_tags.item_id`,
      column: `item_tags.${tagLinkColumns[order.field]}`,
      id: 'item_tags.item_id',
      served: [
        sql`item_tags.tag_id = ${filter.tagId}`,
        ...(order.field === 'price' ? priceOf('item_tags.item_price_cents', sortedPrice) : []),
      ],
    };
  }
  if (filter.q !== undefined) residuals.push(nameContains(db, 'items', filter.q));
  return boundedPage<ItemRow>(db, {
    table: 'items',
    served,
    residuals,
    order: { column: sortColumns[order.field], descending: order.descending },
    through,
    sortValue: (row) => sortValue(row, order.field),
    after,
    limit,
  });
}

/**
 * The first `count` items of each store by name, plus one more to tell whether the store has more: one statement,
 * a UNION ALL of one index range scan per store, so a store with many items costs no more than one with few.
 */
export async function firstItemsOfStores(db: Db, storeIds: string[], count: number): Promise<ItemRow[]> {
  const firstOf = (storeId: string, i: number) =>
    db
      .selectFrom((eb) =>
        eb
          .selectFrom('items')
          .selectAll()
          .where('store_id', '=', storeId)
          .orderBy('name')
          .orderBy('id')
          .limit(count + 1)
          .as(`s${i}`),
      )
      .selectAll();
  const [first, ...rest] = storeIds.map(firstOf);
  if (!first) return [];
  return rest.reduce((query, next) => query.unionAll(next), first).execute();
}

/** The tags of the given items, sorted by name, in one query. */
export function tagsOfItems(db: Db, itemIds: string[]): Promise<TagRef[]> {
  if (itemIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('item_tags')
    .innerJoin('tags', 'tags.id', 'item_tags.tag_id')
    .select(['item_tags.item_id as itemId', 'tags.id as id', 'tags.name as name'])
    .where('item_tags.item_id', 'in', itemIds)
    .orderBy('tags.name')
    .orderBy('tags.id')
    .execute();
}

/** Inserts an item; 'missing-parent' means its store does not exist. */
export function insertItem(db: Db, row: ItemRow): Promise<ItemRow | ConstraintBreach> {
  return catchConstraint(db, ['duplicate', 'missing-parent'], async () => {
    await db.insertInto('items').values(row).execute();
    return row;
  });
}

export async function updateItem(
  db: Db,
  id: string,
  changes: ItemChanges,
  now: string,
): Promise<ItemRow | 'not-found' | 'duplicate'> {
  return catchConstraint(db, ['duplicate'], async () => {
    const query =
      Object.keys(changes).length === 0
        ? db.selectFrom('items').selectAll().where('id', '=', id)
        : db
            .updateTable('items')
            .set({ ...changes, updated_at: now })
            .where('id', '=', id)
            .returningAll();
    return (await query.executeTakeFirst()) ?? 'not-found';
  });
}

/** Deletes the item; its tag links go with it (ON DELETE CASCADE). */
export async function deleteItem(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('items').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
