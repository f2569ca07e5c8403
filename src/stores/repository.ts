import type { Selectable } from 'kysely';
import { boundedPage, type Page } from '../db/bounded-page.js';
import { compiledOnce } from '../db/compiled-query.js';
import type { Db } from '../db/database.js';
import { catchConstraint } from '../db/errors.js';
import { nameContains } from '../db/keyset.js';
import type { StoreTable } from '../db/schema.js';

export type StoreRow = Selectable<StoreTable>;

const sortColumns = { name: 'name', createdAt: 'created_at' } as const;
export type StoreSortField = keyof typeof sortColumns;

export function sortValue(row: StoreRow, field: StoreSortField): string {
  return field === 'name' ? row.name : row.created_at;
}

/** True when the database holds no store at all, as on a fresh clone. */
export async function hasNoStores(db: Db): Promise<boolean> {
  return (await db.selectFrom('stores').select('id').limit(1).executeTakeFirst()) === undefined;
}

const storeById = compiledOnce((db: Db, args: { id: string }) =>
  db.selectFrom('stores').selectAll().where('id', '=', args.id),
);

export async function findStore(db: Db, id: string): Promise<StoreRow | undefined> {
  return (await storeById(db, { id }))[0];
}

/** One page of stores, in the order of an index; `q` through the name-search index or a bounded read of that order. */
export function listStores(
  db: Db,
  filter: { q?: string | undefined },
  order: { field: StoreSortField; descending: boolean },
  after: { value: string | number; id: string } | undefined,
  limit: number,
): Promise<Page<StoreRow>> {
  return boundedPage<StoreRow>(db, {
    table: 'stores',
    served: [],
    residuals: filter.q === undefined ? [] : [nameContains(db, 'stores', filter.q)],
    order: { column: sortColumns[order.field], descending: order.descending },
    sortValue: (row) => sortValue(row, order.field),
    after,
    limit,
  });
}

export function insertStore(db: Db, row: StoreRow): Promise<StoreRow | 'duplicate'> {
  return catchConstraint(db, ['duplicate'], async () => {
    await db.insertInto('stores').values(row).execute();
    return row;
  });
}

export async function updateStore(
  db: Db,
  id: string,
  changes: { name?: string },
  now: string,
): Promise<StoreRow | 'not-found' | 'duplicate'> {
  return catchConstraint(db, ['duplicate'], async () => {
    const query =
      Object.keys(changes).length === 0
        ? db.selectFrom('stores').selectAll().where('id', '=', id)
        : db
            .updateTable('stores')
            .set({ ...changes, updated_at: now })
            .where('id', '=', id)
            .returningAll();
    return (await query.executeTakeFirst()) ?? 'not-found';
  });
}

/** Deletes the store; its items, their tag links and its tags go with it (ON DELETE CASCADE). */
export async function deleteStore(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('stores').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
