import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { findItem, type ItemRow } from './repository.js';

export type TaggingOutcome =
  | { ok: true; item: ItemRow }
  | { ok: false; reason: 'item-missing' | 'tag-missing' | 'other-store' | 'too-many-tags' };

/** The most tags one item carries (the spec's `maxItems` for `Item.tags`). */
export const maxTagsPerItem = 100;

/** Links a tag to an item of the same store. Linking twice changes nothing; a new link touches `updated_at`. */
export function linkTag(db: Db, itemId: string, tagId: string, now: string): Promise<TaggingOutcome> {
  return inTransaction(db, async (trx) => {
    const found = await findPair(trx, itemId, tagId);
    if (!found.ok) return found;
    if (found.tagStoreId !== found.item.store_id) return { ok: false, reason: 'other-store' };
    const links = await trx.selectFrom('item_tags').select(['tag_id']).where('item_id', '=', itemId).execute();
    if (links.length >= maxTagsPerItem && !links.some((l) => l.tag_id === tagId))
      return { ok: false, reason: 'too-many-tags' };
    const inserted = await trx
      .insertInto('item_tags')
      .values({ item_id: itemId, tag_id: tagId })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return { ok: true, item: inserted.numInsertedOrUpdatedRows ? await touch(trx, itemId, now) : found.item };
  });
}

/** Removes the link if there is one. Unlinking twice changes nothing; a removed link touches `updated_at`. */
export function unlinkTag(db: Db, itemId: string, tagId: string, now: string): Promise<TaggingOutcome> {
  return inTransaction(db, async (trx) => {
    const found = await findPair(trx, itemId, tagId);
    if (!found.ok) return found;
    const deleted = await trx
      .deleteFrom('item_tags')
      .where('item_id', '=', itemId)
      .where('tag_id', '=', tagId)
      .executeTakeFirst();
    return { ok: true, item: deleted.numDeletedRows > 0n ? await touch(trx, itemId, now) : found.item };
  });
}

async function findPair(db: Db, itemId: string, tagId: string) {
  const item = await findItem(db, itemId);
  if (!item) return { ok: false as const, reason: 'item-missing' as const };
  const tag = await db.selectFrom('tags').select('store_id').where('id', '=', tagId).executeTakeFirst();
  if (!tag) return { ok: false as const, reason: 'tag-missing' as const };
  return { ok: true as const, item, tagStoreId: tag.store_id };
}

function touch(db: Db, itemId: string, now: string): Promise<ItemRow> {
  return db
    .updateTable('items')
    .set({ updated_at: now })
    .where('id', '=', itemId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
