import { uuidv7 } from 'uuidv7';
import type { components } from '../../generated/openapi.js';
import type { Db } from '../db/database.js';
import { fromCents, toCents } from './money.js';
import { type ItemRow, tagsOfItems } from './repository.js';

export type Item = components['schemas']['Item'];
export type ItemCreate = components['schemas']['ItemCreate'];

/** The row of a new item, from what a client sent to create it. */
export function newItemRow(body: ItemCreate): ItemRow {
  const now = new Date().toISOString();
  return {
    id: uuidv7(),
    store_id: body.storeId,
    name: body.name,
    description: body.description ?? null,
    price_cents: toCents(body.price),
    created_at: now,
    updated_at: now,
  };
}

/** Turns item rows into their API shape, loading the tags of all of them in one query. */
export async function toItems(db: Db, rows: ItemRow[]): Promise<Item[]> {
  const tags = await tagsOfItems(
    db,
    rows.map((r) => r.id),
  );
  const byItem = new Map<string, Item['tags']>();
  for (const tag of tags) {
    const list = byItem.get(tag.itemId) ?? [];
    list.push({ id: tag.id, name: tag.name });
    byItem.set(tag.itemId, list);
  }
  return rows.map((row) => itemOf(row, byItem.get(row.id) ?? []));
}

/** An item just inserted: nothing can have tagged it yet, so its tags need no query. */
export function newItem(row: ItemRow): Item {
  return itemOf(row, []);
}

function itemOf(row: ItemRow, tags: Item['tags']): Item {
  return {
    id: row.id,
    storeId: row.store_id,
    name: row.name,
    description: row.description,
    price: fromCents(row.price_cents),
    tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function toItem(db: Db, row: ItemRow): Promise<Item> {
  const [item] = await toItems(db, [row]);
  if (!item) throw new Error('toItems returned no item for one row');
  return item;
}
