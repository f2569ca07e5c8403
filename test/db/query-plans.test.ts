import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { sqliteOnly } from '../helpers/fresh-database.js';

// Every list the API serves must read one index range per page, so that a page costs the same on a thousand
// rows as on a million. This runs the real requests, captures the SQL the API sent, and asks SQLite for each plan.
// `npm run test:pg` skips it (it asks SQLite); postgres-plans.test.ts asks PostgreSQL.
const captured: CompiledQuery[] = [];
let db: Db;
let app: Awaited<ReturnType<typeof buildApp>>;
let ids: { storeId: string; tagId: string };

beforeAll(async () => {
  if (sqliteOnly.skip) return;
  db = createDatabase(':memory:', {
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
  await migrateToLatest(db);
  app = await buildApp(loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', RESPONSE_VALIDATION: 'strict' }), {
    db,
  });
  const storeId = (await app.inject({ method: 'POST', url: '/stores', payload: { name: 'S' } })).json().id;
  await app.inject({ method: 'POST', url: '/stores', payload: { name: 'T' } });
  const tagId = (await app.inject({ method: 'POST', url: '/tags', payload: { storeId, name: 't' } })).json().id;
  for (let i = 0; i < 5; i++) {
    await app.inject({ method: 'POST', url: '/items', payload: { storeId, name: `i${i}`, price: i } });
  }
  ids = { storeId, tagId };
});
afterAll(async () => {
  if (sqliteOnly.skip) return;
  await app.close();
  await db.destroy();
});

/** The plan of every SELECT a request ran, except the lookup of the page's tags, which is checked on its own. */
async function plansFor(url: string): Promise<string[]> {
  captured.length = 0;
  const response = await app.inject({ method: 'GET', url });
  expect(response.statusCode, url).toBe(200);
  const selects = captured.filter((q) => /^select/i.test(q.sql));
  expect(selects.length).toBeGreaterThan(0);
  const plans: string[] = [];
  for (const query of selects) {
    const plan = (await explain(query)).join(' ; ');
    if (isTagLookup(query)) {
      // Bounded by the page: a primary-key search per item on it, then a sort of those few links.
      expect(plan).toMatch(
        /SEARCH item_tags USING PRIMARY KEY \(item_id=\?\)|SEARCH item_tags USING COVERING INDEX sqlite_autoindex_item_tags_1 \(item_id=\?\)/,
      );
    } else {
      plans.push(...plan.split(' ; '));
    }
  }
  return plans;
}

async function explain(query: CompiledQuery): Promise<string[]> {
  const plan = await db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
  );
  return plan.rows.map((row) => row.detail);
}

const isTagLookup = (query: CompiledQuery) => query.sql.includes('"item_tags"."item_id" in');

const fullScan = /^SCAN (items|stores|tags|item_tags)$/;

describe.skipIf(sqliteOnly.skip)('list queries', () => {
  const ordered = [
    '/items',
    '/items?sort=-name',
    '/items?sort=price',
    '/items?sort=-price',
    '/items?sort=createdAt',
    '/items?sort=-createdAt',
    '/items?minPrice=1&maxPrice=3&sort=price',
    '/stores',
    '/stores?sort=-name',
    '/stores?sort=createdAt',
    '/stores?include=items',
    '/tags',
  ];
  it.each(ordered)('%s reads an index in order: no full scan, no sort step', async (url) => {
    const plans = await plansFor(url);
    expect(plans.filter((p) => fullScan.test(p))).toEqual([]);
    expect(plans.filter((p) => p.includes('TEMP B-TREE'))).toEqual([]);
  });

  it.each(['sort=name', 'sort=-price', 'sort=createdAt'])(
    '/items?storeId=…&%s searches one store’s index range',
    async (sort) => {
      const plans = await plansFor(`/items?storeId=${ids.storeId}&${sort}`);
      expect(plans.join(' ; ')).toMatch(/SEARCH items USING INDEX items_store_id_\w+ \(store_id=\?/);
      expect(plans.filter((p) => p.includes('TEMP B-TREE'))).toEqual([]);
    },
  );

  it('/tags?storeId=… searches one store’s tags by name', async () => {
    const plans = await plansFor(`/tags?storeId=${ids.storeId}`);
    expect(plans.join(' ; ')).toMatch(/SEARCH tags USING INDEX tags_store_id_name_key \(store_id=\?\)/);
  });

  it('/items?tagId=… reads only that tag’s links (sorting just those rows)', async () => {
    const plans = await plansFor(`/items?tagId=${ids.tagId}&sort=price`);
    expect(plans.join(' ; ')).toMatch(
      /SEARCH item_tags USING COVERING INDEX item_tags_tag_id_item_id_idx \(tag_id=\?\)/,
    );
    expect(plans.filter((p) => fullScan.test(p))).toEqual([]);
  });
});
