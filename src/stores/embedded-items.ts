import type { HandlerContext } from '../http/context.js';
import { listItemsScope } from '../items/list-query.js';
import { firstItemsOfStores } from '../items/repository.js';
import { toItems } from '../items/representation.js';
import type { Store } from './mapping.js';

/** How many items `include=items` embeds per store. */
export const embeddedItemCount = 20;

/**
 * Adds each store's first items by name and, when it has more, `itemsNext`: the next page of that store's items
 * in `GET /items?storeId=…&sort=name`, so the rest is reached through the one way of listing items.
 */
export async function withItems(ctx: HandlerContext, stores: Store[]): Promise<Store[]> {
  if (stores.length === 0) return stores;
  const rows = await firstItemsOfStores(
    ctx.db,
    stores.map((s) => s.id),
    embeddedItemCount,
  );
  const items = await toItems(ctx.db, rows);
  return stores.map((store) => {
    const own = items.filter((item) => item.storeId === store.id);
    const shown = own.slice(0, embeddedItemCount);
    const last = shown.at(-1);
    if (own.length <= embeddedItemCount || !last) return { ...store, items: shown };
    const query = { storeId: store.id, sort: 'name' as const, limit: embeddedItemCount };
    const cursor = ctx.cursors.encode(listItemsScope(query), { value: last.name, id: last.id });
    return { ...store, items: shown, itemsNext: ctx.url('/items', { ...query, cursor }) };
  });
}
