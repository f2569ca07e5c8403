import { type RawBuilder, type Selectable, sql } from 'kysely';
import { boundedPage, type Page, type PageRequest, type Residual } from '../db/bounded-page.js';
import { compiledOnce, standIn } from '../db/compiled-query.js';
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

const itemById = compiledOnce((db: Db, args: { id: string }) =>
  db.selectFrom('items').selectAll().where('id', '=', args.id),
);

export async function findItem(db: Db, id: string): Promise<ItemRow | undefined> {
  return (await itemById(db, { id }))[0];
}

const tagStore = compiledOnce((db: Db, args: { tagId: string }) =>
  db.selectFrom('tags').select('store_id').where('id', '=', args.tagId).limit(1),
);

/** The page requests of each shape of listItems without `q`, built once with stand-ins for their values. */
const pageRequests = new Map<string, PageRequest<ItemRow>>();

/**
 * One page of items. A store's items and a price range sorted by price are ranges of an index in the sort order;
 * a tag, a price range under another sort, and `q` are checked through their own indexes or within a bounded read
 * of that order (see `boundedPage`). Without `q` (whose SQL depends on its text) each shape of request (which
 * filters, which order, first page or not) is built and compiled once, then run with each request's values.
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
    const [tag] = await tagStore(db, { tagId: filter.tagId });
    if (tag?.store_id !== storeId) return { rows: [], next: undefined };
    storeId = undefined;
  }
  const filtered = { ...filter, storeId };
  const implied = impliedByCursor(filtered, order, after);
  if (filter.q !== undefined) {
    return boundedPage<ItemRow>(db, pageRequest(db, filtered, order, after, limit, implied));
  }
  const names = ['storeId', 'tagId', 'minCents', 'maxCents'] as const;
  const shape = `items ${names.filter((name) => filtered[name] !== undefined).join(',')} ${order.field} ${
    order.descending ? 'desc' : 'asc'
  }${after ? ' after' : ''}${implied ? ' from-cursor' : ''}`;
  let request = pageRequests.get(shape);
  if (!request) {
    const standIns = Object.fromEntries(
      names.map((name) => [name, filtered[name] === undefined ? undefined : standIn(name)]),
    );
    const position = after && { value: standIn('afterValue'), id: standIn('afterId') };
    request = pageRequest(db, standIns, order, position, limit, implied);
    pageRequests.set(shape, request);
  }
  const values = { ...filtered, afterValue: after?.value, afterId: after?.id };
  return boundedPage<ItemRow>(db, request, { shape, values, limit });
}

/**
 * Sorted by price, a cursor's (price, id) comparison starts the range, and the price bound on its side is then
 * implied when the cursor is within it. Left in, that bound is a range start of its own: the database would start
 * there and read every row up to the cursor (300,000 of a million for a deep page of a wide range), so it is left
 * out. Whether it is depends on the values, so it is part of a page's shape.
 */
function impliedByCursor(
  filter: ItemFilter,
  order: { field: ItemSortField; descending: boolean },
  after: { value: string | number; id: string } | undefined,
): boolean {
  if (order.field !== 'price' || after === undefined) return false;
  const cursorPrice = Number(after.value);
  return order.descending
    ? filter.maxCents !== undefined && cursorPrice <= filter.maxCents
    : filter.minCents !== undefined && cursorPrice >= filter.minCents;
}

/** The page request of listItems' filters, order and position, from their values or stand-ins for them. */
function pageRequest(
  db: Db,
  filter: ItemFilter,
  order: { field: ItemSortField; descending: boolean },
  after: { value: string | number; id: string } | undefined,
  limit: number,
  impliedBound: boolean,
): PageRequest<ItemRow> {
  const { storeId } = filter;
  const served: RawBuilder<unknown>[] = [];
  const residuals: Residual[] = [];
  const store = storeId === undefined ? [] : [sql`items.store_id = ${storeId}`];
  served.push(...store);
  const priceOf = (column: string, from = { min: filter.minCents, max: filter.maxCents }) => [
    ...(from.min === undefined ? [] : [sql`${sql.ref(column)} >= ${from.min}`]),
    ...(from.max === undefined ? [] : [sql`${sql.ref(column)} <= ${from.max}`]),
  ];
  const price = priceOf('items.price_cents');
  // The price bound a cursor implies (see impliedByCursor) is left out.
  const sortedPrice = {
    min: impliedBound && !order.descending ? undefined : filter.minCents,
    max: impliedBound && order.descending ? undefined : filter.maxCents,
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
  return {
    table: 'items',
    served,
    residuals,
    order: { column: sortColumns[order.field], descending: order.descending },
    through,
    sortValue: (row) => sortValue(row, order.field),
    after,
    limit,
  };
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

/** A page's tags in one statement, compiled once per number of items (the `in` list's length, at most a page). */
const tagsOf = compiledOnce((db: Db, ids: string[], count: number) =>
  db
    .selectFrom('item_tags')
    .innerJoin('tags', 'tags.id', 'item_tags.tag_id')
    .select(['item_tags.item_id as itemId', 'tags.id as id', 'tags.name as name'])
    .where(
      'item_tags.item_id',
      'in',
      Array.from({ length: count }, (_, i) => ids[i] as string),
    )
    .orderBy('tags.name')
    .orderBy('tags.id'),
);

/** The tags of the given items, sorted by name, in one query. */
export async function tagsOfItems(db: Db, itemIds: string[]): Promise<TagRef[]> {
  if (itemIds.length === 0) return [];
  return tagsOf(db, itemIds, itemIds.length);
}

const insertItemRow = compiledOnce((db: Db, args: ItemRow) =>
  db.insertInto('items').values({
    id: args.id,
    store_id: args.store_id,
    name: args.name,
    description: args.description,
    price_cents: args.price_cents,
    created_at: args.created_at,
    updated_at: args.updated_at,
  }),
);

/** Inserts an item; 'missing-parent' means its store does not exist. */
export function insertItem(db: Db, row: ItemRow): Promise<ItemRow | ConstraintBreach> {
  return catchConstraint(db, ['duplicate', 'missing-parent'], async () => {
    await insertItemRow(db, row);
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
