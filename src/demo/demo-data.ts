import { uuidv7 } from 'uuidv7';
import { hashPassword } from '../auth/passwords.js';
import type { Db } from '../db/database.js';
import { toCents } from '../items/money.js';
import { insertItem } from '../items/repository.js';
import { linkTag } from '../items/tagging-repository.js';
import { insertStore } from '../stores/repository.js';
import { insertTag } from '../tags/repository.js';
import { findUserByEmail, insertUser } from '../users/repository.js';

/**
 * The demo catalogue's owner, so that its stores can be changed from the docs. Development data only. Its id, and
 * those of the seed text's store, item and tag below, are the ones the spec's examples name, so that every example
 * in the docs works as it stands against a fresh development server.
 */
export const demoUser = {
  id: '01936d3e-6f7a-7b2c-8d3e-4f5a6b7c8d9e',
  email: 'demo@example.com',
  password: 'demo-password',
};

interface Entry {
  store: string;
  id?: string;
  tags: { name: string; id?: string }[];
  items: { name: string; price: number; tags: string[]; id?: string }[];
}

// The seed text's store first ("My Store" with "my item" at 15.99), then a little more to browse in the docs.
const catalogue: Entry[] = [
  {
    store: 'My Store',
    id: '01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f',
    tags: [{ name: 'sale', id: '01936d3e-9cad-7e5f-9a6b-7c8d9e0f1a2b' }],
    items: [{ name: 'my item', price: 15.99, tags: ['sale'], id: '01936d3e-8b9c-7d4e-8f5a-6b7c8d9e0f1a' }],
  },
  {
    store: 'Corner Bakery',
    tags: [{ name: 'bread' }, { name: 'sweet' }],
    items: [
      { name: 'sourdough loaf', price: 6.5, tags: ['bread'] },
      { name: 'croissant', price: 2.25, tags: ['sweet'] },
      { name: 'rye bread', price: 5.75, tags: ['bread'] },
    ],
  },
  {
    store: 'Hardware Hut',
    tags: [{ name: 'tools' }],
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
      id: entry.id ?? uuidv7(),
      name: entry.store,
      owner_id: owner,
      created_at: now,
      updated_at: now,
    });
    if (store === 'duplicate') continue;
    stores++;
    const tagIds = new Map<string, string>();
    for (const { name, id } of entry.tags) {
      const tag = await insertTag(db, {
        id: id ?? uuidv7(),
        store_id: store.id,
        name,
        created_at: now,
        updated_at: now,
      });
      if (typeof tag === 'object') tagIds.set(name, tag.id);
    }
    for (const item of entry.items) {
      const row = await insertItem(db, {
        id: item.id ?? uuidv7(),
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
    id: demoUser.id,
    email: demoUser.email,
    password_hash: await hashPassword(demoUser.password, passwordHashCost),
    role: 'user',
    created_at: new Date().toISOString(),
  });
  if (row === 'duplicate') throw new Error('the demo user appeared while it was being created');
  return row.id;
}
