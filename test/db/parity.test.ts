import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanBudget } from '../../src/db/bounded-page.js';
import { givenItem, givenStore, givenTag, walkPages } from '../helpers/fixtures.js';
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

describe('q through the name-search index, and pages read within a budget', () => {
  /** What `q` means: the name contains the text, A-Z folded to a-z and nothing else. */
  const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const contains = (name: string, q: string) => asciiLower(name).includes(asciiLower(q));

  it('finds what a scan would, kept in step through creates, renames and deletes, on every searched table', async () => {
    const store = await givenStore(t, 'Searchable Store');
    const names = [
      'Crème BRÛLÉE',
      'crème brûlée',
      'ÉCLAIR',
      'éclair',
      '100% Cotton',
      'snake_case',
      'a"quote"b',
      'Ωmega',
    ];
    const made = [];
    for (const name of names) made.push(await givenItem(t, store.id, name, 1));
    for (const name of names) await givenTag(t, store.id, name);
    const renamed = made[0] as { id: string };
    expect(
      (
        await t.request({
          method: 'PATCH',
          url: `/items/${renamed.id}`,
          headers: { 'content-type': 'application/merge-patch+json' },
          payload: { name: 'Tarte TATIN' },
        })
      ).statusCode,
    ).toBe(200);
    const deleted = made[4] as { id: string };
    expect((await t.request({ method: 'DELETE', url: `/items/${deleted.id}` })).statusCode).toBe(204);
    const itemNames = ['Tarte TATIN', ...names.slice(1, 4), ...names.slice(5)];
    for (const q of [
      'brû',
      'BRÛ',
      'rème',
      'Crè',
      'CLAIR',
      'éCL',
      'tatin',
      'BRULEE',
      '0% c',
      'e_c',
      '"quo',
      'mega',
      'Ωme',
    ]) {
      const items = await walkPages<{ name: string }>(t, `/items?q=${encodeURIComponent(q)}`, 'items');
      expect(items.all.map((i) => i.name).sort(), q).toEqual(itemNames.filter((n) => contains(n, q)).sort());
      const tags = await walkPages<{ name: string }>(t, `/tags?q=${encodeURIComponent(q)}`, 'tags');
      expect(tags.all.map((i) => i.name).sort(), q).toEqual(names.filter((n) => contains(n, q)).sort());
    }
    const stores = await t.request({ method: 'GET', url: '/stores?q=ABLE%20s' });
    expect(stores.data.stores.map((s: { name: string }) => s.name)).toEqual(['Searchable Store']);
    // A store's delete cascades to its items and tags: the index forgets them too.
    expect((await t.request({ method: 'DELETE', url: `/stores/${store.id}` })).statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: '/items?q=clair' })).data.items).toEqual([]);
    expect((await t.request({ method: 'GET', url: '/tags?q=clair' })).data.tags).toEqual([]);
  });

  it('lists a tag’s items in each order from its links, which follow their items’ renames and new prices', async () => {
    const store = await givenStore(t, 'Tagged');
    const other = await givenStore(t, 'Other');
    const tag = await givenTag(t, store.id, 'sale');
    const made = [];
    for (const [name, price] of [
      ['b', 2],
      ['a', 3],
      ['c', 1],
    ] as const) {
      const item = await givenItem(t, store.id, name, price);
      expect((await t.request({ method: 'PUT', url: `/items/${item.id}/tags/${tag.id}` })).statusCode).toBe(200);
      made.push(item);
    }
    const patch = (id: string, payload: object) =>
      t.request({
        method: 'PATCH',
        url: `/items/${id}`,
        headers: { 'content-type': 'application/merge-patch+json' },
        payload,
      });
    expect((await patch((made[0] as { id: string }).id, { name: 'z', price: 0.5 })).statusCode).toBe(200);
    const names = async (query: string) =>
      (await walkPages<{ name: string }>(t, `/items?tagId=${tag.id}&limit=2&${query}`, 'items')).all.map((i) => i.name);
    expect(await names('sort=name')).toEqual(['a', 'c', 'z']);
    expect(await names('sort=-price')).toEqual(['a', 'c', 'z']);
    expect(await names('sort=price&minPrice=0.5&maxPrice=1')).toEqual(['z', 'c']);
    expect(await names(`sort=name&storeId=${store.id}`)).toEqual(['a', 'c', 'z']);
    expect(await names(`sort=name&storeId=${other.id}`)).toEqual([]);
  });

  it('splits pages the same way on both databases when a filter is read within the budget', async () => {
    const store = await givenStore(t, 'Budget');
    const now = '2026-11-29T00:00:00.000Z';
    const rows = Array.from({ length: scanBudget + 500 }, (_, i) => ({
      id: uuidv7(),
      store_id: store.id,
      name: `item n${String(i).padStart(4, '0')}${i === 500 || i === scanBudget + 400 ? 'zz' : ''}`,
      description: null,
      price_cents: i,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 250)
      await t.db
        .insertInto('items')
        .values(rows.slice(i, i + 250))
        .execute();
    // Two letters: no trigram, so each page reads at most scanBudget names in order; the first stops there.
    const short = await walkPages<{ name: string }>(t, '/items?q=ZZ&limit=20', 'items');
    expect(short.pages.map((p) => p.map((i) => i.name))).toEqual([['item n0500zz'], [`item n${scanBudget + 400}zz`]]);
    // Three letters matching more than candidateLimit names: also read in order, here filling whole pages.
    const many = await walkPages<{ name: string }>(t, '/items?q=ITE&limit=100', 'items');
    expect(many.pages.map((p) => p.length)).toEqual(Array(15).fill(100));
    // A price range under another sort, matching few: looked up by price, then sorted: full pages, no empty one.
    const few = await walkPages<{ price: number }>(t, '/items?minPrice=1&maxPrice=1.05&sort=-name&limit=4', 'items');
    expect(few.pages.map((p) => p.map((i) => i.price))).toEqual([
      [1.05, 1.04, 1.03, 1.02],
      [1.01, 1],
    ]);
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
