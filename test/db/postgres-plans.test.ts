import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { freshDatabase, testDatabaseUrl } from '../helpers/fresh-database.js';
import { noShedding } from '../helpers/server-process.js';
import { listUrls, seedPlanData } from './list-combinations.js';

// Under `npm run test:pg`: PostgreSQL can serve every list in the order it is asked for from an index, with no
// sort step. On a few rows its planner rightly prefers a scan and a sort, so the plans are asked for with those
// two priced out (enable_seqscan, enable_sort off): a Sort node left in the plan means no index gives the order,
// as happens when a column's collation differs from its index's. An Incremental Sort on a presorted unique name
// sorts groups of one row (PostgreSQL does not infer that a unique name needs no id tie-break): allowed.
const captured: CompiledQuery[] = [];
let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let app: Awaited<ReturnType<typeof buildApp>>;
// The plans need no rows: the costs that choose them are priced out.
const storeId = randomUUID();

const fullSort = /(^|->\s+)Sort\s+\(|Seq Scan/m;

/** A fresh schema whose statements are captured, migrated, and the app on it. */
async function startCapturing(): Promise<void> {
  database = await freshDatabase(':memory:', {
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
  db = database.db;
  await migrateToLatest(db);
  const config = loadConfig({
    DATABASE_URL: ':memory:',
    LOG_LEVEL: 'silent',
    RESPONSE_VALIDATION: 'strict',
    // Load shedding is tested on its own; a busy test worker would have some of these requests refused.
    ...noShedding,
  });
  app = await buildApp(config, { db });
}

describe.skipIf(testDatabaseUrl === undefined)('list queries on PostgreSQL', () => {
  beforeAll(async () => {
    await startCapturing();
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  async function plansFor(url: string): Promise<string[]> {
    captured.length = 0;
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode, url).toBe(200);
    // The lookup of the page's tags reads by primary key per item and is bounded by the page.
    const selects = captured.filter((q) => /^select/i.test(q.sql) && !q.sql.includes('"item_tags"."item_id" in'));
    expect(selects.length).toBeGreaterThan(0);
    return db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_sort = off`.execute(trx);
      const plans: string[] = [];
      for (const query of selects) {
        const plan = await trx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]),
        );
        plans.push(plan.rows.map((row) => row['QUERY PLAN']).join('\n'));
      }
      return plans;
    });
  }

  it.each([
    '/items',
    '/items?sort=-name',
    '/items?sort=price',
    '/items?sort=-createdAt',
    '/stores',
    '/stores?sort=-name',
    '/stores?sort=createdAt',
    '/tags',
  ])('%s reads an index in order, with no sort step', async (url) => {
    for (const plan of await plansFor(url)) {
      expect(plan).toMatch(/Index (Only )?Scan/);
      expect(plan).not.toMatch(fullSort);
    }
  });

  it.each(['sort=name', 'sort=-price'])('/items?storeId=…&%s reads one store’s index range', async (sort) => {
    for (const plan of await plansFor(`/items?storeId=${storeId}&${sort}`)) {
      expect(plan).toMatch(/Index (Only )?Scan (Backward )?using items_store_id_\w+ on items/);
      expect(plan).not.toMatch(fullSort);
    }
  });
});

// Every filter and sort the spec allows, with and without a cursor, as in query-plans.test.ts: on PostgreSQL, no
// statement reads a table through a sequential scan, a sort happens only over the capped candidates (`c`), and
// `q` with a trigram is looked up in pg_trgm's GIN index.
describe.skipIf(testDatabaseUrl === undefined)('every combination of filters and sorts on PostgreSQL', () => {
  let urls: string[] = [];
  beforeAll(async () => {
    await startCapturing();
    urls = listUrls(await seedPlanData(db));
    await sql`analyze`.execute(db);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  async function statementsOf(url: string) {
    captured.length = 0;
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode, url).toBe(200);
    const selects = captured.filter((q) => /^select/i.test(q.sql) && !q.sql.includes('"item_tags"."item_id" in'));
    const explained = await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_sort = off`.execute(trx);
      // Evaluating a filter on every row of a thousand-row table is cheap enough to tie with a trigram lookup:
      // priced up, a plan that checks `lower(name) like …` on every row shows as what it is on a large table.
      await sql`set local cpu_operator_cost = 1`.execute(trx);
      const out: { sql: string; plan: string }[] = [];
      for (const query of selects) {
        const plan = await trx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]),
        );
        out.push({ sql: query.sql, plan: plan.rows.map((row) => row['QUERY PLAN']).join('\n') });
      }
      return out;
    });
    return { response, explained };
  }

  it('reads a bounded number of rows in every one of them', async () => {
    for (const url of urls) {
      const first = await statementsOf(url);
      const next = first.response.json().next as string | undefined;
      const runs = [first];
      if (next) runs.push(await statementsOf(new URL(next).pathname + new URL(next).search));
      for (const [run, { explained }] of runs.entries()) {
        for (const { sql: text, plan } of explained) {
          const where = `${url}\n${text}\n${plan}`;
          // After a cursor, a read in the sort order starts at the cursor (see query-plans.test.ts).
          const keyset = /\("(\w+)"\."(\w+)", "\w+"\."\w+"\) ([<>]) \(\$\d+, \$\d+\)/.exec(text);
          if (run === 1 && keyset && !text.includes(') as c cross join') && !/^select count/.test(text)) {
            const [, table, column, side] = keyset;
            expect(text.replace(keyset[0], ''), where).not.toMatch(
              new RegExp(`"${table}"\\."${column}" ${side}=? \\$`),
            );
            expect(plan, where).toMatch(
              new RegExp(`Index Cond: .*(ROW\\(${column}, \\w+\\) \\${side} ROW|\\(${column} \\${side}=? )`),
            );
          }
          expect(text, where).toMatch(/ limit (\$\d+|1 offset \$\d+)/);
          expect(plan, where).not.toMatch(/Seq Scan/);
          if (/(^|->\s+)Sort\s+\(/m.test(plan)) expect(text, where).toContain(') as c cross join');
          // A selective q is looked up in the trigram index. (A q matching every row may be read in any order:
          // the count stops at its limit.)
          if (/q=(rare|nothing)/.test(url) && /lower\(.*like.* limit \$\d+\) as c$/m.test(text))
            expect(plan, where).toMatch(/Bitmap Index Scan on \w+_name_trgm_idx/);
        }
      }
    }
  }, 300_000);
});
