import { type Selectable, sql } from 'kysely';
import { boundedPage, type Page } from '../db/bounded-page.js';
import type { Db } from '../db/database.js';
import { type ConstraintBreach, catchConstraint } from '../db/errors.js';
import { nameContains } from '../db/keyset.js';
import type { TagTable } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';

export type TagRow = Selectable<TagTable>;

export function findTag(db: Db, id: string): Promise<TagRow | undefined> {
  return db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One page of tags by name, a store's through its (store_id, name) index; `q` as in `listStores`. */
export function listTags(
  db: Db,
  filter: { storeId?: string | undefined; q?: string | undefined },
  after: { value: string | number; id: string } | undefined,
  limit: number,
): Promise<Page<TagRow>> {
  return boundedPage<TagRow>(db, {
    table: 'tags',
    served: filter.storeId === undefined ? [] : [sql`tags.store_id = ${filter.storeId}`],
    residuals: filter.q === undefined ? [] : [nameContains(db, 'tags', filter.q)],
    order: { column: 'name', descending: false },
    sortValue: (row) => row.name,
    after,
    limit,
  });
}

/** Inserts a tag; 'missing-parent' means its store does not exist. */
export function insertTag(db: Db, row: TagRow): Promise<TagRow | ConstraintBreach> {
  return catchConstraint(db, ['duplicate', 'missing-parent'], async () => {
    await db.insertInto('tags').values(row).execute();
    return row;
  });
}

export async function renameTag(
  db: Db,
  id: string,
  changes: { name?: string },
  now: string,
): Promise<TagRow | 'not-found' | 'duplicate'> {
  return catchConstraint(db, ['duplicate'], async () => {
    const query =
      Object.keys(changes).length === 0
        ? db.selectFrom('tags').selectAll().where('id', '=', id)
        : db
            .updateTable('tags')
            .set({ ...changes, updated_at: now })
            .where('id', '=', id)
            .returningAll();
    return (await query.executeTakeFirst()) ?? 'not-found';
  });
}

/** Deletes a tag that is on no item; a tag still in use is left alone and its number of items returned. */
export function deleteTag(db: Db, id: string): Promise<'deleted' | 'not-found' | { inUseBy: number }> {
  return inTransaction(db, async (trx) => {
    const uses = await trx
      .selectFrom('item_tags')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('tag_id', '=', id)
      .executeTakeFirstOrThrow();
    // A link names an existing tag (foreign key), so a tag with links exists.
    if (Number(uses.count) > 0) return { inUseBy: Number(uses.count) };
    const result = await trx.deleteFrom('tags').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n ? 'deleted' : 'not-found';
  });
}
