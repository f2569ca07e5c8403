import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import { type ConstraintBreach, catchConstraint } from '../db/errors.js';
import { containsIgnoringAsciiCase, keysetPage, splitPage } from '../db/keyset.js';
import type { TagTable } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';

export type TagRow = Selectable<TagTable>;

export function findTag(db: Db, id: string): Promise<TagRow | undefined> {
  return db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTags(
  db: Db,
  filter: { storeId?: string | undefined; q?: string | undefined },
  after: { value: string | number; id: string } | undefined,
  limit: number,
) {
  let query = db.selectFrom('tags').selectAll();
  if (filter.storeId !== undefined) query = query.where('tags.store_id', '=', filter.storeId);
  if (filter.q !== undefined) query = query.where(containsIgnoringAsciiCase('tags.name', filter.q));
  const order = { column: 'tags.name', idColumn: 'tags.id', descending: false };
  return splitPage(await keysetPage(query, order, after, limit).execute(), limit);
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
