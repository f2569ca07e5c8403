import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Db, readWorkersOf } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { unavailableDatabase } from '../../src/db/unavailable.js';
import { listItems } from '../../src/items/repository.js';
import { sqliteOnly } from '../helpers/fresh-database.js';
import { seedPlanData } from './list-combinations.js';

// A SQLite file's list reads that may cost up to a budget (candidates counted, a sort order read within its
// budget) run on read-only connections in worker threads, so that the event loop answers other requests while
// they run. They must give the very pages the event loop's own connection gives.
describe.skipIf(sqliteOnly.skip)('read workers', () => {
  let folder: string;
  let file: string;
  let db: Db;
  let direct: Db;
  let data: Awaited<ReturnType<typeof seedPlanData>>;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'read-workers-'));
    file = join(folder, 'stores.db');
    direct = createDatabase(file, { readWorkers: 0 });
    await migrateToLatest(direct);
    data = await seedPlanData(direct);
    db = createDatabase(file);
  });
  afterAll(async () => {
    await db?.destroy();
    await direct?.destroy();
    await rm(folder, { recursive: true, force: true });
  });

  it('give the pages the event loop’s connection gives, and take the budgeted reads', async () => {
    const filters = [
      { q: 'common' },
      { q: 'rare' },
      { q: 'co' },
      { minCents: 50, maxCents: 10_000 },
      { minCents: 1, maxCents: 5 },
      { tagId: data.commonTagId, q: 'item' },
      { storeId: data.storeId, tagId: data.rareTagId },
    ];
    const workers = readWorkersOf(db);
    expect(workers).toBeDefined();
    expect(readWorkersOf(direct)).toBeUndefined();
    const before = workers?.statements ?? 0;
    for (const filter of filters)
      for (const field of ['name', 'price', 'createdAt'] as const)
        for (const descending of [false, true]) {
          const order = { field, descending };
          const first = await listItems(db, filter, order, undefined, 3);
          expect(first).toEqual(await listItems(direct, filter, order, undefined, 3));
          if (first.next)
            expect(await listItems(db, filter, order, first.next, 3)).toEqual(
              await listItems(direct, filter, order, first.next, 3),
            );
        }
    // Every filter above but the store-and-tag one needs a count or a budgeted read.
    expect((workers?.statements ?? 0) - before).toBeGreaterThan(filters.length * 6);
  });

  it('leave the event loop free while a read runs', async () => {
    const workers = readWorkersOf(db);
    // About a second of SQLite work: on the event loop, no timer could run until it ended.
    const slow = CompiledQuery.raw(
      'with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000000) select count(*) as c from n',
    );
    let turns = 0;
    let done = false;
    const ticking = (async () => {
      while (!done) {
        await new Promise((resolve) => setImmediate(resolve));
        turns++;
      }
    })();
    const result = await workers?.query<{ c: number }>(slow);
    done = true;
    await ticking;
    expect(result?.rows).toEqual([{ c: 3_000_000 }]);
    expect(turns).toBeGreaterThan(10);
  });

  it('pass a database error on with its name and code, so that it is answered as on the event loop', async () => {
    const workers = readWorkersOf(db);
    const failed = await workers?.query(CompiledQuery.raw('select * from no_such_table')).catch((error) => error);
    expect(failed).toMatchObject({ name: 'SqliteError', code: 'SQLITE_ERROR' });
    expect(failed.message).toMatch(/no such table/);
    // A file that cannot be opened is a database that cannot serve: 503, not 500.
    const gone = createDatabase(join(folder, 'gone.db'));
    await rm(join(folder, 'gone.db'));
    const error = await readWorkersOf(gone)
      ?.query(CompiledQuery.raw('select 1'))
      .catch((e) => e);
    await gone.destroy();
    expect(error).toMatchObject({ code: 'SQLITE_CANTOPEN' });
    expect(unavailableDatabase(error)).toBeDefined();
  });
});
