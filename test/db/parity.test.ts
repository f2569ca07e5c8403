import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { givenItem, givenStore, walkPages } from '../helpers/fixtures.js';
import { testDatabaseUrl } from '../helpers/fresh-database.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// What must come out the same on SQLite and PostgreSQL. `npm test` runs these on SQLite, `npm run test:pg` on
// PostgreSQL, whose test database has an ICU en-US collation: a column left to it would sort `a A b B`.
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('the same answers on either database', () => {
  it('sorts names by their bytes, as SQLite does: digits, upper case, underscore, lower case, then the rest', async () => {
    const names = ['b', 'B', 'a', 'A', 'Z', 'é', 'e', 'E', '10', '9', '_u', 'Ω', 'ab', 'a b', 'aB'];
    for (const name of names) await givenStore(t, name);
    const { all } = await walkPages<{ name: string }>(t, '/stores?limit=4', 'stores');
    const byBytes = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(all.map((s) => s.name)).toEqual(byBytes);
    const { all: reversed } = await walkPages<{ name: string }>(t, '/stores?limit=4&sort=-name', 'stores');
    expect(reversed.map((s) => s.name)).toEqual([...byBytes].reverse());
  });

  it('keeps names that differ only in case apart, and finds them all by q ignoring ASCII case', async () => {
    for (const name of ['Shop', 'SHOP', 'shop']) expect((await givenStore(t, name)).name).toBe(name);
    const found = await t.request({ method: 'GET', url: '/stores?q=sHoP' });
    expect(found.data.stores.map((s: { name: string }) => s.name)).toEqual(['SHOP', 'Shop', 'shop']);
  });

  it('gives prices back exactly and timestamps as UTC ISO 8601 with milliseconds', async () => {
    const store = await givenStore(t);
    const prices = [0, 0.01, 15.99, 19.99 * 3, 99999999.99];
    for (const [i, price] of prices.entries())
      await givenItem(t, store.id, `priced ${i}`, Math.round(price * 100) / 100);
    const listed = await t.request({ method: 'GET', url: `/items?storeId=${store.id}&sort=price` });
    expect(listed.data.items.map((i: { price: number }) => i.price)).toEqual([0, 0.01, 15.99, 59.97, 99999999.99]);
    for (const item of listed.data.items) {
      expect(item.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });
});

describe.skipIf(testDatabaseUrl === undefined)('PostgreSQL only', () => {
  it('gives every text column the byte order "C", so that a new migration cannot forget it', async () => {
    const { rows } = await sql<{ column: string; collation: string | null }>`
      select table_name || '.' || column_name as column, collation_name as collation
      from information_schema.columns
      where table_schema = current_schema() and data_type = 'text' and table_name not like 'kysely_%'`.execute(t.db);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.filter((r) => r.collation !== 'C')).toEqual([]);
  });
});
