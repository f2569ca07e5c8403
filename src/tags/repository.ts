import { type Selectable, sql } from 'kysely';
import type { Db } from '../db/database.js';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors.js';
import { containsPattern, keysetPage, splitPage } from '../db/keyset.js';
import type { TagTable } from '../db/schema.js';

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
  if (filter.q !== undefined)
    query = query.where(sql<boolean>`tags.name like ${containsPattern(filter.q)} escape '\\'`);
  const order = { column: 'tags.name', idColumn: 'tags.id', descending: false };
  return splitPage(await keysetPage(query, order, after, limit).execute(), limit);
}

export async function insertTag(db: Db, row: TagRow): Promise<TagRow | 'store-missing' | 'duplicate'> {
  try {
    await db.insertInto('tags').values(row).execute();
    return row;
  } catch (error) {
    if (isForeignKeyViolation(error)) return 'store-missing';
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
}

export async function renameTag(
  db: Db,
  id: string,
  changes: { name?: string },
  now: string,
): Promise<TagRow | 'not-found' | 'duplicate'> {
  try {
    const query =
      Object.keys(changes).length === 0
        ? db.selectFrom('tags').selectAll().where('id', '=', id)
        : db
            .updateTable('tags')
            .set({ ...changes, updated_at: now })
            .where('id', '=', id)
            .returningAll();
    return (await query.executeTakeFirst()) ?? 'not-found';
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
}

/** Deletes a tag that is on no item; a tag still in use is left alone and its number of items returned. */
export function deleteTag(db: Db, id: string): Promise<'deleted' | 'not-found' | { inUseBy: number }> {
  return db.transaction().execute(async (trx) => {
    const uses = await trx
      .selectFrom('item_tags')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('tag_id', '=', id)
      .executeTakeFirstOrThrow();
    if (Number(uses.count) > 0) {
      const exists = await findTag(trx, id);
      return exists ? { inUseBy: Number(uses.count) } : 'not-found';
    }
    const result = await trx.deleteFrom('tags').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n ? 'deleted' : 'not-found';
  });
}
