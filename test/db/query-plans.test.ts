import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { sqliteOnly } from '../helpers/fresh-database.js';
import { noShedding } from '../helpers/server-process.js';
import { listUrls, seedPlanData } from './list-combinations.js';

// Every list the API serves must read one index range per page, so that a page costs the same on a thousand
// rows as on a million. This runs the real requests, captures the SQL the API sent, and asks SQLite for each plan.
// `npm run test:pg` skips it (it asks SQLite); postgres-plans.test.ts asks PostgreSQL.
const captured: CompiledQuery[] = [];
let db: Db;
let app: Awaited<ReturnType<typeof buildApp>>;
let ids: { storeId: string; tagId: string };
let headers: Record<string, string>;

beforeAll(async () => {
  if (sqliteOnly.skip) return;
  db = createDatabase(':memory:', {
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
  await migrateToLatest(db);
  const config = {
    DATABASE_URL: ':memory:',
    LOG_LEVEL: 'silent',
    RESPONSE_VALIDATION: 'strict',
    PASSWORD_HASH_COST: '10',
    ...noShedding,
  };
  app = await buildApp(loadConfig(config), { db });
  const account = { email: 'plans@example.com', password: 'plans-password' };
  await app.inject({ method: 'POST', url: '/users', payload: account });
  const token = (await app.inject({ method: 'POST', url: '/auth/tokens', payload: account })).json().accessToken;
  headers = { authorization: `Bearer ${token}` };
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers, payload });
  const storeId = (await post('/stores', { name: 'S' })).json().id;
  await post('/stores', { name: 'T' });
  const tagId = (await post('/tags', { storeId, name: 't' })).json().id;
  for (let i = 0; i < 5; i++) await post('/items', { storeId, name: `i${i}`, price: i });
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

  it.each(['name', '-price', 'createdAt'])(
    '/items?tagId=…&sort=%s reads a range of that tag’s links in that order',
    async (sort) => {
      const plans = await plansFor(`/items?tagId=${ids.tagId}&sort=${sort}`);
      expect(plans.join(' ; ')).toMatch(
        /SEARCH item_tags USING COVERING INDEX item_tags_tag_id_item_\w+_item_id_idx \(tag_id=\?/,
      );
      expect(plans.filter((p) => fullScan.test(p))).toEqual([]);
      expect(plans.filter((p) => p.includes('TEMP B-TREE'))).toEqual([]);
    },
  );
});

// The benchmark's other scenarios (getStore, a conditional getItem, createItem signed in) look rows up by key: every
// statement they send, the token check and the owner check included, must search an index, never scan a table.
describe.skipIf(sqliteOnly.skip)('lookups by key', () => {
  async function plansOf(request: { method: 'GET' | 'POST'; url: string; payload?: object }): Promise<string[]> {
    captured.length = 0;
    const response = await app.inject({ ...request, headers });
    expect(response.statusCode, request.url).toBeLessThan(300);
    expect(captured.length).toBeGreaterThan(0);
    const plans: string[] = [];
    const statements = captured.filter((q) => /^(select|insert|update|delete)/i.test(q.sql));
    for (const query of statements) plans.push(...(await explain(query)));
    return plans;
  }

  it('createItem, getItem and getStore search by index only', async () => {
    const create = { method: 'POST' as const, url: '/items', payload: { storeId: ids.storeId, name: 'new', price: 1 } };
    const plans = await plansOf(create);
    const item = (await app.inject({ method: 'GET', url: `/items?storeId=${ids.storeId}&limit=1` })).json().items[0];
    plans.push(...(await plansOf({ method: 'GET', url: `/items/${item.id}` })));
    plans.push(...(await plansOf({ method: 'GET', url: `/stores/${ids.storeId}` })));
    expect(plans.some((p) => p.startsWith('SEARCH'))).toBe(true);
    expect(plans.filter((p) => /^SCAN /.test(p))).toEqual([]);
  });
});

// Every filter and sort the spec allows, with and without a cursor, on data where the common filters match more
// rows than a page may look up (so their pages are read in the sort order, within its budget) and the rare ones
// a few: each statement must read an index range with a LIMIT, look up at most `candidateLimit` candidates and
// sort only those, or read at most `scanBudget` rows of the sort order. Never a table, never a whole FTS index.
describe.skipIf(sqliteOnly.skip)('every combination of filters and sorts', () => {
  let urls: string[] = [];
  beforeAll(async () => {
    urls = listUrls(await seedPlanData(db));
  });

  /** The statements a request sent (but the page's tags), each with its plan. */
  async function statementsOf(url: string) {
    captured.length = 0;
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode, url).toBe(200);
    const statements = captured.filter((q) => /^select/i.test(q.sql) && !isTagLookup(q));
    const explained = [];
    for (const query of statements) explained.push({ sql: query.sql, plan: await explain(query) });
    return { response, explained };
  }

  it('reads a bounded number of rows in every one of them', async () => {
    const ways = new Set<string>();
    let withCursor = 0;
    for (const url of urls) {
      const first = await statementsOf(url);
      const next = first.response.json().next as string | undefined;
      const runs = [first];
      if (next) {
        withCursor++;
        runs.push(await statementsOf(new URL(next).pathname + new URL(next).search));
      }
      for (const [run, { explained }] of runs.entries()) {
        for (const { sql, plan } of explained) {
          const where = `${url}\n${sql}\n${plan.join('\n')}`;
          // After a cursor, a read in the sort order starts at the cursor: its (value, id) comparison starts the
          // index range, and no other bound on that side of the sort column (a price range's) is there to start
          // from instead, which would read every row between that bound and the cursor.
          const keyset = /\("(\w+)"\."(\w+)", "\w+"\."\w+"\) ([<>]) \(\?, \?\)/.exec(sql);
          if (run === 1 && keyset && !plan.includes('SCAN c') && !/^select count/.test(sql)) {
            const [, table, column, side] = keyset;
            expect(sql.replace(keyset[0], ''), where).not.toMatch(new RegExp(`"${table}"\\."${column}" ${side}=? \\?`));
            expect(plan.join('\n'), where).toMatch(
              new RegExp(`^SEARCH .*(\\(${column},\\w+\\)${side}\\(\\?,\\?\\)|\\b${column}${side}\\?)`, 'm'),
            );
          }
          expect(sql, where).toMatch(/ limit (\?|1 offset \?)/);
          for (const line of plan) {
            const table = /^SCAN (items|stores|tags|item_tags)$/.exec(line)?.[1];
            // A SCAN of a table is allowed only over the bounded read of its sort order (a co-routine of that name).
            if (table) expect(plan, where).toContain(`CO-ROUTINE ${table}`);
            if (line.includes('VIRTUAL TABLE')) expect(line, where).toMatch(/VIRTUAL TABLE INDEX \d+:M/);
            if (line.includes('TEMP B-TREE')) expect(plan, where).toContain('SCAN c');
          }
          if (plan.includes('SCAN c')) ways.add('candidates');
          else if (plan.some((line) => line.startsWith('CO-ROUTINE'))) ways.add('scan');
          else ways.add('index');
        }
      }
    }
    expect([...ways].sort()).toEqual(['candidates', 'index', 'scan']);
    // Only the rare filters (one match or none) have no second page.
    expect(withCursor).toBeGreaterThan(urls.length * 0.7);
  }, 120_000);

  it('looks q up in the trigram index: a MATCH on each table’s FTS5 table', async () => {
    for (const url of ['/items?q=rare', '/stores?q=rare', '/tags?q=rare']) {
      const { explained } = await statementsOf(url);
      const table = url.slice(1, url.indexOf('?'));
      expect(explained.map((s) => s.plan.join(' ; ')).join('\n'), url).toMatch(
        new RegExp(`SCAN ${table}_name_search VIRTUAL TABLE INDEX \\d+:M`),
      );
    }
  });
});
