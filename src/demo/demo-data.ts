import { uuidv7 } from 'uuidv7';
import { hashPassword } from '../auth/passwords.js';
import type { Db } from '../db/database.js';
import { toCents } from '../items/money.js';
import { insertItem } from '../items/repository.js';
import { linkTag } from '../items/tagging-repository.js';
import { insertStore } from '../stores/repository.js';
import { insertTag } from '../tags/repository.js';
import { findUserByEmail, insertUser } from '../users/repository.js';

/** The demo catalogue's owner, so that its stores can be changed from the docs. Development data only. */
export const demoUser = { email: 'demo@example.com', password: 'demo-password' };

// The seed text's store first ("My Store" with "my item" at 15.99), then a little more to browse in the docs.
const catalogue = [
  { store: 'My Store', tags: ['sale'], items: [{ name: 'my item', price: 15.99, tags: ['sale'] }] },
  {
    store: 'Corner Bakery',
    tags: ['bread', 'sweet'],
    items: [
      { name: 'sourdough loaf', price: 6.5, tags: ['bread'] },
      { name: 'croissant', price: 2.25, tags: ['sweet'] },
      { name: 'rye bread', price: 5.75, tags: ['bread'] },
    ],
  },
  {
    store: 'Hardware Hut',
    tags: ['tools'],
    items: [
      { name: 'claw hammer', price: 24.99, tags: ['tools'] },
      { name: 'box of nails', price: 3.49, tags: [] },
    ],
  },
];

/**
 * Loads the demo catalogue, owned by the demo user, store by store; a store whose name is already taken is left
 * as it is.
 */
export async function loadDemoData(db: Db, passwordHashCost: number): Promise<{ stores: number; items: number }> {
  const owner = await demoOwner(db, passwordHashCost);
  let stores = 0;
  let items = 0;
  for (const entry of catalogue) {
    const now = new Date().toISOString();
    const store = await insertStore(db, {
      id: uuidv7(),
      name: entry.store,
      owner_id: owner,
      created_at: now,
      updated_at: now,
    });
    if (store === 'duplicate') continue;
    stores++;
    const tagIds = new Map<string, string>();
    for (const name of entry.tags) {
      const tag = await insertTag(db, { id: uuidv7(), store_id: store.id, name, created_at: now, updated_at: now });
      if (typeof tag === 'object') tagIds.set(name, tag.id);
    }
    for (const item of entry.items) {
      const row = await insertItem(db, {
        id: uuidv7(),
        store_id: store.id,
        name: item.name,
        description: null,
        price_cents: toCents(item.price),
        created_at: now,
        updated_at: now,
      });
      if (typeof row !== 'object') continue;
      items++;
      for (const tag of item.tags) {
        const tagId = tagIds.get(tag);
        if (tagId) await linkTag(db, row.id, tagId, now);
      }
    }
  }
  return { stores, items };
}

async function demoOwner(db: Db, passwordHashCost: number): Promise<string> {
  const existing = await findUserByEmail(db, demoUser.email);
  if (existing) return existing.id;
  const row = await insertUser(db, {
    id: uuidv7(),
    email: demoUser.email,
    password_hash: await hashPassword(demoUser.password, passwordHashCost),
    role: 'user',
    created_at: new Date().toISOString(),
  });
  if (row === 'duplicate') throw new Error('the demo user appeared while it was being created');
  return row.id;
}
