import { uuidv7 } from 'uuidv7';
import { candidateLimit } from '../../src/db/bounded-page.js';
import type { Db } from '../../src/db/database.js';

/**
 * Data on which every way of reading a list page happens: more rows than `candidateLimit` behind the common
 * filters (so that they are read in the sort order, within its budget) and a few behind the rare ones (so that
 * they are looked up in their own indexes).
 */
export interface PlanData {
  storeId: string;
  commonTagId: string;
  rareTagId: string;
}

export async function seedPlanData(db: Db): Promise<PlanData> {
  const now = '2026-11-29T00:00:00.000Z';
  const many = candidateLimit + 5;
  const stores = Array.from({ length: many }, (_, i) => ({
    id: uuidv7(),
    name: `common store ${i}`,
    owner_id: null,
    created_at: now,
    updated_at: now,
  }));
  stores.push({ id: uuidv7(), name: 'rare shop', owner_id: null, created_at: now, updated_at: now });
  const storeId = stores[0]?.id as string;
  for (let i = 0; i < stores.length; i += 200)
    await db
      .insertInto('stores')
      .values(stores.slice(i, i + 200))
      .execute();
  const items = Array.from({ length: many }, (_, i) => ({
    id: uuidv7(),
    store_id: storeId,
    name: `common item ${i}`,
    description: null,
    price_cents: 100 + i,
    created_at: now,
    updated_at: now,
  }));
  items.push({ ...(items[0] as (typeof items)[0]), id: uuidv7(), name: 'rare thing', price_cents: 5 });
  for (let i = 0; i < items.length; i += 200)
    await db
      .insertInto('items')
      .values(items.slice(i, i + 200))
      .execute();
  const tags = Array.from({ length: many }, (_, i) => ({
    id: uuidv7(),
    store_id: storeId,
    name: `common tag ${i}`,
    created_at: now,
    updated_at: now,
  }));
  tags.push({ ...(tags[0] as (typeof tags)[0]), id: uuidv7(), name: 'rare label' });
  for (let i = 0; i < tags.length; i += 200)
    await db
      .insertInto('tags')
      .values(tags.slice(i, i + 200))
      .execute();
  const commonTagId = tags[0]?.id as string;
  const rareTagId = tags.at(-1)?.id as string;
  const links = items.map((item) => ({ item_id: item.id, tag_id: commonTagId, created_at: now }));
  links.push({ item_id: items.at(-1)?.id as string, tag_id: rareTagId, created_at: now });
  for (let i = 0; i < links.length; i += 200)
    await db
      .insertInto('item_tags')
      .values(links.slice(i, i + 200))
      .execute();
  return { storeId, commonTagId, rareTagId };
}

const itemSorts = ['name', '-name', 'price', '-price', 'createdAt', '-createdAt'];

/**
 * Every filter listItems allows, each common and (alone or with a store) rare, under every sort; listStores and
 * listTags likewise. Each URL asks for one item per page, so that its first page links to a second.
 */
export function listUrls(data: PlanData): string[] {
  const urls: string[] = [];
  const store = ['', `storeId=${data.storeId}`];
  const tag = ['', `tagId=${data.commonTagId}`];
  const price = ['', 'minPrice=0.5&maxPrice=100'];
  const q = ['', 'q=common', 'q=co', 'q=%25%25%25'];
  for (const s of store)
    for (const t of tag)
      for (const p of price)
        for (const text of q)
          for (const sort of itemSorts)
            urls.push(`/items?${[s, t, p, text, `sort=${sort}`].filter(Boolean).join('&')}`);
  const rare = [`tagId=${data.rareTagId}`, 'minPrice=0.01&maxPrice=0.05', 'q=rare', 'q=nothing-has-this'];
  for (const s of store)
    for (const r of [...rare, rare.slice(0, 3).join('&')])
      for (const sort of itemSorts) urls.push(`/items?${[s, r, `sort=${sort}`].filter(Boolean).join('&')}`);
  for (const text of ['', 'q=common', 'q=rare', 'q=co', 'q=nothing-has-this'])
    for (const sort of ['name', '-name', 'createdAt', '-createdAt'])
      urls.push(`/stores?${[text, `sort=${sort}`].filter(Boolean).join('&')}`);
  for (const s of store)
    for (const text of ['', 'q=common', 'q=rare', 'q=co', 'q=nothing-has-this'])
      urls.push(`/tags?${[s, text].filter(Boolean).join('&')}`);
  return urls.map((url) => `${url}&limit=1`);
}
