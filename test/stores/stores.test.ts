import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { givenItem, givenStore, givenTag, unknownId, walkPages } from '../helpers/fixtures.js';
import { createTestApp, mergePatch, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('createStore', () => {
  it('answers 201 with Location and the store, which GET at Location returns unchanged', async () => {
    const created = await t.request({ method: 'POST', url: '/stores', payload: { name: 'My Store' } });
    expect(created.statusCode).toBe(201);
    expect(created.data).toMatchObject({ name: 'My Store' });
    expect(created.data.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.headers.location).toBe(`http://localhost/stores/${created.data.id}`);
    const fetched = await t.request({ method: 'GET', url: new URL(String(created.headers.location)).pathname });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.data).toEqual(created.data);
  });

  it('answers 409 for a name another store has, and creates nothing', async () => {
    await givenStore(t, 'My Store');
    const again = await t.request({ method: 'POST', url: '/stores', payload: { name: 'My Store' } });
    expect(again.statusCode).toBe(409);
    expect(again.data).toMatchObject({ status: 409, type: '/problems/conflict' });
    const list = await t.request({ method: 'GET', url: '/stores' });
    expect(list.data.stores).toHaveLength(1);
  });

  it('answers 400 naming each bad member: empty name, unknown member', async () => {
    const response = await t.request({ method: 'POST', url: '/stores', payload: { name: '', owner: 'x' } });
    expect(response.statusCode).toBe(400);
    expect(response.data.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ location: 'body', pointer: '/name' }),
        expect.objectContaining({ location: 'body', pointer: '/owner' }),
      ]),
    );
  });

  it('answers 400 for names with surrounding space, control characters, or over 100 characters', async () => {
    for (const name of [' padded', 'tab\there', 'nul\u0000', 'x'.repeat(101)]) {
      const response = await t.request({ method: 'POST', url: '/stores', payload: { name } });
      expect(response.statusCode, JSON.stringify(name)).toBe(400);
      expect(response.data.errors[0]).toMatchObject({ location: 'body', pointer: '/name' });
    }
  });

  it('answers 413 for a body over the limit and 415 for a body that is not JSON', async () => {
    const large = await t.request({ method: 'POST', url: '/stores', payload: { name: 'x'.repeat(70_000) } });
    expect(large.statusCode).toBe(413);
    expect(large.data).toMatchObject({ status: 413, type: '/problems/payload-too-large' });
    const text = await t.request({
      method: 'POST',
      url: '/stores',
      headers: { 'content-type': 'text/plain' },
      payload: 'My Store',
    });
    expect(text.statusCode).toBe(415);
    expect(text.data).toMatchObject({ status: 415 });
  });
});

describe('getStore', () => {
  it('answers 404 problem for an id that names nothing, and for one that is not even an id', async () => {
    for (const id of [unknownId, 'nope']) {
      const response = await t.request({ method: 'GET', url: `/stores/${id}` });
      expect(response.statusCode).toBe(404);
      expect(response.data).toMatchObject({ status: 404, type: '/problems/not-found', instance: `/stores/${id}` });
    }
  });

  it('answers 400 for an id with characters no id has', async () => {
    const response = await t.request({ method: 'GET', url: '/stores/a.b' });
    expect(response.statusCode).toBe(400);
    expect(response.data.errors[0]).toMatchObject({ location: 'path', pointer: '/storeId' });
  });

  it('embeds the first 20 items by name with include=items, and links to the rest through listItems', async () => {
    const store = await givenStore(t);
    for (let i = 0; i < 23; i++) await givenItem(t, store.id, `item ${String(i).padStart(2, '0')}`, i);
    const response = await t.request({ method: 'GET', url: `/stores/${store.id}?include=items` });
    expect(response.statusCode).toBe(200);
    expect(response.data.items.map((i: { name: string }) => i.name)).toEqual(
      Array.from({ length: 20 }, (_, i) => `item ${String(i).padStart(2, '0')}`),
    );
    const rest = await walkPages<{ name: string }>(t, response.data.itemsNext, 'items');
    expect(rest.all.map((i) => i.name)).toEqual(['item 20', 'item 21', 'item 22']);
  });

  it('answers 400 for an include it does not know', async () => {
    const store = await givenStore(t);
    const response = await t.request({ method: 'GET', url: `/stores/${store.id}?include=tags` });
    expect(response.statusCode).toBe(400);
    expect(response.data.errors[0]).toMatchObject({ location: 'query', pointer: '/include' });
  });
});

describe('listStores', () => {
  it('serves the seed text shape in one request: stores with their items and prices', async () => {
    const store = await givenStore(t, 'My Store');
    await givenItem(t, store.id, 'my item', 15.99);
    const response = await t.request({ method: 'GET', url: '/stores?include=items' });
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ stores: [{ name: 'My Store', items: [{ name: 'my item', price: 15.99 }] }] });
    expect(response.data.stores[0].itemsNext).toBeUndefined();
  });

  it('pages through every store exactly once, sorted by name, with next absent on the last page', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `Store ${String.fromCharCode(71 - i)}`);
    for (const name of names) await givenStore(t, name);
    const { pages, all } = await walkPages<{ name: string }>(t, '/stores?limit=3', 'stores');
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(all.map((s) => s.name)).toEqual([...names].sort());
  });

  it('sorts by -createdAt and filters by a name substring, ignoring case and LIKE wildcards', async () => {
    for (const name of ['Alpha', 'Beta', 'alphabet', '100% Alpha']) await givenStore(t, name);
    const newest = await t.request({ method: 'GET', url: '/stores?sort=-createdAt' });
    expect(newest.data.stores.map((s: { name: string }) => s.name)).toEqual([
      '100% Alpha',
      'alphabet',
      'Beta',
      'Alpha',
    ]);
    const alpha = await t.request({ method: 'GET', url: '/stores?q=ALPHA' });
    expect(alpha.data.stores.map((s: { name: string }) => s.name)).toEqual(['100% Alpha', 'Alpha', 'alphabet']);
    const percent = await t.request({ method: 'GET', url: '/stores?q=0%25' });
    expect(percent.data.stores.map((s: { name: string }) => s.name)).toEqual(['100% Alpha']);
  });

  it('answers 400 for a garbage cursor, a cursor reused with another filter, and a limit out of range', async () => {
    for (const name of ['A', 'B', 'C']) await givenStore(t, name);
    const first = await t.request({ method: 'GET', url: '/stores?limit=1' });
    const cursor = new URL(first.data.next).searchParams.get('cursor');
    for (const url of [
      '/stores?cursor=garbage',
      `/stores?cursor=${cursor}&sort=-name`,
      '/stores?limit=0',
      '/stores?limit=101',
      '/stores?limit=abc',
    ]) {
      const response = await t.request({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.data.status).toBe(400);
    }
  });
});

describe('updateStore', () => {
  it('renames with a merge patch, keeps createdAt, moves updatedAt', async () => {
    const store = await givenStore(t, 'My Store');
    const response = await t.request(mergePatch(`/stores/${store.id}`, { name: 'My Corner Store' }));
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ id: store.id, name: 'My Corner Store', createdAt: store.createdAt });
    expect(response.data.updatedAt >= store.updatedAt).toBe(true);
  });

  it('answers 404, 409, 400, 413 and 415 as the spec declares', async () => {
    const store = await givenStore(t, 'My Store');
    await givenStore(t, 'Taken');
    const cases: [string, Parameters<TestApp['request']>[0], number][] = [
      ['unknown store', mergePatch(`/stores/${unknownId}`, { name: 'x' }), 404],
      ['taken name', mergePatch(`/stores/${store.id}`, { name: 'Taken' }), 409],
      ['null name', mergePatch(`/stores/${store.id}`, { name: null }), 400],
      ['unknown member', mergePatch(`/stores/${store.id}`, { colour: 'red' }), 400],
      ['too large', mergePatch(`/stores/${store.id}`, { name: 'x'.repeat(70_000) }), 413],
      ['plain JSON', { method: 'PATCH', url: `/stores/${store.id}`, payload: { name: 'x' } }, 415],
    ];
    for (const [name, request, status] of cases) {
      const response = await t.request(request);
      expect(response.statusCode, name).toBe(status);
      expect(response.data.status, name).toBe(status);
    }
    const unchanged = await t.request({ method: 'GET', url: `/stores/${store.id}` });
    expect(unchanged.data).toEqual(store);
  });
});

describe('deleteStore', () => {
  it('answers 204 and deletes the store with its items, tags and links; GET then answers 404', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const tag = await givenTag(t, store.id);
    expect((await t.request({ method: 'PUT', url: `/items/${item.id}/tags/${tag.id}` })).statusCode).toBe(200);
    const deleted = await t.request({ method: 'DELETE', url: `/stores/${store.id}` });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    for (const url of [`/stores/${store.id}`, `/items/${item.id}`, `/tags/${tag.id}`]) {
      expect((await t.request({ method: 'GET', url })).statusCode, url).toBe(404);
    }
    const links = await t.db.selectFrom('item_tags').selectAll().execute();
    expect(links).toEqual([]);
  });

  it('answers 404 for a store that does not exist', async () => {
    const response = await t.request({ method: 'DELETE', url: `/stores/${unknownId}` });
    expect(response.statusCode).toBe(404);
  });
});
