import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledOnce } from '../../src/db/compiled-query.js';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { freshDatabase } from '../helpers/fresh-database.js';

// Runs on SQLite, and on PostgreSQL under `npm run test:pg`: the compiled SQL is per dialect.
describe('queries compiled once (compiledOnce)', () => {
  let db: Db;
  let drop: () => Promise<void>;
  const at = '2026-01-01T00:00:00.000Z';

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(':memory:'));
    await migrateToLatest(db);
    await db
      .insertInto('stores')
      .values(
        ['a', 'b', 'c'].map((name) => ({ id: `id-${name}`, name, owner_id: null, created_at: at, updated_at: at })),
      )
      .execute();
  });
  afterAll(() => drop());

  it('builds each shape once and fills in each call its own values, in the order they appear in the SQL', async () => {
    let builds = 0;
    const byName = compiledOnce((kysely: Db, args: { name: string; after: string }, count: number) => {
      builds++;
      return kysely
        .selectFrom('stores')
        .select(['id', 'name'])
        .where('name', '>', args.after)
        .where('name', '<=', args.name)
        .orderBy('name')
        .limit(count);
    });
    expect(await byName(db, { name: 'c', after: 'a' }, 5)).toEqual([
      { id: 'id-b', name: 'b' },
      { id: 'id-c', name: 'c' },
    ]);
    expect(await byName(db, { name: 'b', after: '' }, 5)).toEqual([
      { id: 'id-a', name: 'a' },
      { id: 'id-b', name: 'b' },
    ]);
    expect(builds).toBe(1);
    // Another shape (here the limit, a constant of the build) is compiled once more, and keeps its own constant.
    expect(await byName(db, { name: 'c', after: '' }, 1)).toEqual([{ id: 'id-a', name: 'a' }]);
    expect(builds).toBe(2);
    expect(await byName(db, { name: 'c', after: '' }, 5)).toHaveLength(3);
    expect(builds).toBe(2);
  });

  it('refuses a value that was changed on its way into the query, instead of sending the stand-in', async () => {
    const prefixed = compiledOnce((kysely: Db, args: { q: string }) =>
      kysely.selectFrom('stores').select('id').where('name', 'like', `${args.q}%`),
    );
    await expect(prefixed(db, { q: 'a' })).rejects.toThrow(/changed before it reached the query/);
  });

  it('runs inside a transaction on its connection', async () => {
    const byId = compiledOnce((kysely: Db, args: { id: string }) =>
      kysely.selectFrom('stores').select('name').where('id', '=', args.id),
    );
    const seen = await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('stores')
        .values({ id: 'id-d', name: 'd', owner_id: null, created_at: at, updated_at: at })
        .execute();
      return byId(trx, { id: 'id-d' });
    });
    expect(seen).toEqual([{ name: 'd' }]);
  });
});
