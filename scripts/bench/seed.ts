// Seeds a SQLite file for the benchmark: stores owned by one user, items spread evenly over them, tags per
// store, and about one tag link per item. Rows go in through one prepared statement per table inside one
// transaction (the schema comes from the real migrations), so a million items take seconds, not minutes.
import SQLite from 'better-sqlite3';
import { uuidv7 } from 'uuidv7';
import { issueAccessToken } from '../../src/auth/access-tokens.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { createDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export interface SeedSize {
  stores: number;
  items: number;
  tags: number;
}

export interface Seeded {
  storeIds: string[];
  itemIds: string[];
  tagIds: string[];
  /** A bearer token of the stores' owner, valid for the whole run. */
  accessToken: string;
}

export async function seed(file: string, size: SeedSize, jwtSecret: string): Promise<Seeded> {
  const db = createDatabase(file);
  await migrateToLatest(db);
  await db.destroy();

  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  const userId = uuidv7();
  const sessionId = uuidv7();
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const at = (i: number) => new Date(start + i * 1000).toISOString();
  const storeIds = Array.from({ length: size.stores }, () => uuidv7());
  const tagIds = Array.from({ length: size.tags }, () => uuidv7());
  const tagsPerStore = Math.max(1, Math.floor(size.tags / size.stores));
  const itemIds: string[] = [];
  const passwordHash = await hashPassword(uuidv7(), 10);

  const insertUser = sqlite.prepare(
    'insert into users (id, email, password_hash, role, created_at) values (?, ?, ?, ?, ?)',
  );
  const insertStore = sqlite.prepare(
    'insert into stores (id, name, owner_id, created_at, updated_at) values (?, ?, ?, ?, ?)',
  );
  const insertTag = sqlite.prepare(
    'insert into tags (id, store_id, name, created_at, updated_at) values (?, ?, ?, ?, ?)',
  );
  const insertItem = sqlite.prepare(
    'insert into items (id, store_id, name, description, price_cents, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertLink = sqlite.prepare('insert into item_tags (item_id, tag_id, created_at) values (?, ?, ?)');

  sqlite.transaction(() => {
    insertUser.run(userId, 'bench@example.com', passwordHash, 'user', at(0));
    storeIds.forEach((id, s) => {
      insertStore.run(id, `Store ${String(s).padStart(4, '0')}`, userId, at(s), at(s));
    });
    tagIds.forEach((id, t) => {
      const store = storeIds[t % size.stores] as string;
      insertTag.run(id, store, `tag ${String(t).padStart(5, '0')}`, at(t), at(t));
    });
    for (let i = 0; i < size.items; i++) {
      const s = i % size.stores;
      const id = uuidv7();
      const created = at(i);
      const price = 100 + ((i * 7919) % 99_900);
      const description = i % 2 === 0 ? `The ${i}th item of the benchmark catalogue.` : null;
      insertItem.run(id, storeIds[s], `item ${String(i).padStart(7, '0')}`, description, price, created, created);
      // Each item carries one tag of its store, every third one a second.
      const first = (Math.floor(i / size.stores) % tagsPerStore) * size.stores + s;
      insertLink.run(id, tagIds[first], created);
      const second = ((Math.floor(i / size.stores) + 1) % tagsPerStore) * size.stores + s;
      if (i % 3 === 0 && second !== first) insertLink.run(id, tagIds[second], created);
      if (itemIds.length < 10_000) itemIds.push(id);
    }
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();

  const accessToken = await issueAccessToken(jwtSecret, userId, sessionId, 24 * 3600);
  return { storeIds, itemIds, tagIds, accessToken };
}
