import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { givenItem, givenStore, givenTag, unknownId, walkPages } from '../helpers/fixtures.js';
import { createTestApp, mergePatch, type Response, type TestApp } from '../helpers/test-app.js';

type Item = Awaited<ReturnType<typeof givenItem>>;
type Request = Parameters<TestApp['request']>[0];
type Sort = 'name' | '-name' | 'price' | '-price' | 'createdAt' | '-createdAt';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

/** Timestamps have millisecond precision: waiting a little makes "updatedAt moved" observable. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

async function list(url: string): Promise<{ items: Item[]; next?: string }> {
  const response = await t.request({ method: 'GET', url });
  expect(response.statusCode, url).toBe(200);
  return response.data;
}

/** A 400 validation problem whose every issue (there is at least one) names this value and nothing else. */
function expectIssues(response: Response, location: string, pointer: string, label = '') {
  expect(response.statusCode, label).toBe(400);
  expect(response.data, label).toMatchObject({ status: 400, type: '/problems/validation-failed' });
  expect(response.data.errors.length, label).toBeGreaterThan(0);
  for (const issue of response.data.errors) expect(issue, label).toMatchObject({ location, pointer });
}

const namesOf = (items: Item[]) => items.map((i) => i.name);
const idsOf = (items: Item[]) => items.map((i) => i.id);

/** The order the spec promises: by the sort field, ties broken by id, both in the sort's direction. */
function sorted(items: Item[], sort: Sort): Item[] {
  const descending = sort.startsWith('-');
  const field = sort.replace('-', '') as 'name' | 'price' | 'createdAt';
  const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...items].sort((a, b) => {
    const order = compare(a[field], b[field]) || compare(a.id, b.id);
    return descending ? -order : order;
  });
}

const allSorts: Sort[] = ['name', '-name', 'price', '-price', 'createdAt', '-createdAt'];

/** Two stores whose items share names across stores and share prices, so every sort has ties to break. */
async function givenCatalogue() {
  const a = await givenStore(t, 'Store A');
  const b = await givenStore(t, 'Store B');
  const items: Item[] = [];
  for (const [store, name, price] of [
    [a.id, 'apple', 3.5],
    [a.id, 'banana', 1.25],
    [a.id, 'cherry', 3.5],
    [a.id, 'date', 0.99],
    [a.id, 'elderberry', 10],
    [b.id, 'apple', 1.25],
    [b.id, 'fig', 3.5],
    [b.id, 'grape', 0.99],
    [b.id, 'banana', 20],
    [b.id, 'honeydew', 0],
  ] as const) {
    items.push(await givenItem(t, store, name, price));
  }
  return { a, b, items };
}

describe('createItem', () => {
  it('answers 201 with Location and the item, which GET at Location returns unchanged', async () => {
    const store = await givenStore(t);
    const created = await t.request({
      method: 'POST',
      url: '/items',
      payload: { storeId: store.id, name: 'my item', price: 15.99 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.data).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      storeId: store.id,
      name: 'my item',
      description: null,
      price: 15.99,
      tags: [],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: created.data.createdAt,
    });
    expect(created.body).toContain('"price":15.99');
    expect(created.headers.location).toBe(`http://localhost/items/${created.data.id}`);
    const fetched = await t.request({ method: 'GET', url: new URL(String(created.headers.location)).pathname });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.data).toEqual(created.data);
    expect(fetched.body).toContain('"price":15.99');
  });

  it('keeps a description when one is sent', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id, 'my item', 2, 'Hand-made, one of a kind.');
    expect(item.description).toBe('Hand-made, one of a kind.');
    const fetched = await t.request({ method: 'GET', url: `/items/${item.id}` });
    expect(fetched.data.description).toBe('Hand-made, one of a kind.');
  });

  it('answers 422 for a storeId that names no store, and creates nothing', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/items',
      payload: { storeId: unknownId, name: 'my item', price: 1 },
    });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.data).toMatchObject({ status: 422, type: '/problems/unprocessable' });
    expect(response.headers.location).toBeUndefined();
    expect((await list('/items')).items).toEqual([]);
  });

  it('answers 409 for a name the store already has, and takes the same name in another store', async () => {
    const store = await givenStore(t, 'My Store');
    const other = await givenStore(t, 'Other Store');
    await givenItem(t, store.id, 'my item', 1);
    const again = await t.request({
      method: 'POST',
      url: '/items',
      payload: { storeId: store.id, name: 'my item', price: 2 },
    });
    expect(again.statusCode).toBe(409);
    expect(again.data).toMatchObject({ status: 409, type: '/problems/conflict' });
    expect((await list(`/items?storeId=${store.id}`)).items.map((i) => i.price)).toEqual([1]);
    const elsewhere = await givenItem(t, other.id, 'my item', 3);
    expect(elsewhere).toMatchObject({ storeId: other.id, name: 'my item', price: 3 });
    expect((await list('/items')).items).toHaveLength(2);
  });

  it('answers 400 naming the bad member in the body, and creates nothing', async () => {
    const store = await givenStore(t);
    const valid = { storeId: store.id, name: 'my item', price: 1 };
    const { storeId: _, ...withoutStore } = valid;
    const cases: [string, unknown, string][] = [
      ['three decimals', { ...valid, price: 1.001 }, '/price'],
      ['negative price', { ...valid, price: -1 }, '/price'],
      ['price as a string', { ...valid, price: '15.99' }, '/price'],
      ['no price', { storeId: store.id, name: 'my item' }, '/price'],
      ['no storeId', withoutStore, '/storeId'],
      ['empty name', { ...valid, name: '' }, '/name'],
      ['description too long', { ...valid, description: 'x'.repeat(1001) }, '/description'],
      ['unknown member', { ...valid, colour: 'red' }, '/colour'],
    ];
    for (const [name, payload, pointer] of cases) {
      const response = await t.request({ method: 'POST', url: '/items', payload: payload as object });
      expectIssues(response, 'body', pointer, name);
    }
    expect((await list('/items')).items).toEqual([]);
  });

  it('answers 413 for a body over the limit and 415 for a body that is not JSON', async () => {
    const store = await givenStore(t);
    const large = await t.request({
      method: 'POST',
      url: '/items',
      payload: { storeId: store.id, name: 'big', price: 1, description: 'x'.repeat(70_000) },
    });
    expect(large.statusCode).toBe(413);
    expect(large.data).toMatchObject({ status: 413, type: '/problems/payload-too-large' });
    const text = await t.request({
      method: 'POST',
      url: '/items',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ storeId: store.id, name: 'my item', price: 1 }),
    });
    expect(text.statusCode).toBe(415);
    expect(text.data).toMatchObject({ status: 415, type: '/problems/unsupported-media-type' });
    expect((await list('/items')).items).toEqual([]);
  });
});

describe('money', () => {
  it('takes a price only as the two-decimal number it is, and answers float noise with 400 naming /price', async () => {
    const store = await givenStore(t);
    for (const n of [1, 2, 3, 5, 7, 10, 13, 100, 12345]) {
      const exact = (1999 * n) / 100;
      const created = await t.request({
        method: 'POST',
        url: '/items',
        payload: { storeId: store.id, name: `${n} of them`, price: exact },
      });
      expect(created.statusCode, String(exact)).toBe(201);
      expect(created.body, String(exact)).toContain(`"price":${exact},`);
    }
    // 19.99 * 5 is 99.94999999999999 in floating point: not a two-decimal price, so it is refused, not guessed at.
    expect(19.99 * 5).not.toBe(99.95);
    const noisy = await t.request({
      method: 'POST',
      url: '/items',
      payload: { storeId: store.id, name: 'noisy', price: 19.99 * 5 },
    });
    expect(noisy.statusCode).toBe(400);
    expect(noisy.data.errors).toEqual([{ location: 'body', pointer: '/price', detail: 'must be a multiple of 0.01' }]);
    const exactly = await list('/items?minPrice=99.95&maxPrice=99.95');
    expect(namesOf(exactly.items)).toEqual(['5 of them']);
  });

  it('takes large prices up to the maximum exactly, where float division would misjudge them', async () => {
    const store = await givenStore(t);
    for (const price of [111848.18, 1234567.89, 99999999.99]) {
      const created = await t.request({
        method: 'POST',
        url: '/items',
        payload: { storeId: store.id, name: `at ${price}`, price },
      });
      expect(created.statusCode, String(price)).toBe(201);
      expect(created.data.price).toBe(price);
    }
  });

  it('sorts and filters 0.1, 0.2 and 0.3 by their exact value', async () => {
    const store = await givenStore(t);
    for (const price of [0.3, 0.1, 0.2]) await givenItem(t, store.id, `costs ${price}`, price);
    const prices = async (url: string) => (await list(url)).items.map((i) => i.price);
    expect(await prices('/items?sort=price')).toEqual([0.1, 0.2, 0.3]);
    expect(await prices('/items?sort=-price')).toEqual([0.3, 0.2, 0.1]);
    expect(await prices('/items?minPrice=0.3')).toEqual([0.3]);
    expect(await prices('/items?maxPrice=0.3&sort=price')).toEqual([0.1, 0.2, 0.3]);
    expect(await prices('/items?minPrice=0.1&maxPrice=0.2&sort=price')).toEqual([0.1, 0.2]);
    expect(await prices('/items?minPrice=0.3&maxPrice=0.3')).toEqual([0.3]);
  });

  it('carries multiples of 19.99 and other awkward prices exactly on the wire', async () => {
    const store = await givenStore(t);
    const cents = [1999, 3998, 5997, 7996, 9995, 13993, 19990, 199900, 1999000, 115, 435, 7, 0, 9999999999];
    for (const c of cents) {
      // The decimal text, as a client would write it, not the product of a float multiplication.
      const text = (c / 100).toString();
      const created = await t.request({
        method: 'POST',
        url: '/items',
        headers: { 'content-type': 'application/json' },
        payload: `{"storeId":"${store.id}","name":"costs ${text}","price":${text}}`,
      });
      expect(created.statusCode, text).toBe(201);
      expect(created.body, text).toContain(`"price":${text},`);
      const fetched = await t.request({ method: 'GET', url: `/items/${created.data.id}` });
      expect(fetched.body, text).toContain(`"price":${text},`);
      const exact = await list(`/items?minPrice=${text}&maxPrice=${text}`);
      expect(namesOf(exact.items), text).toEqual([`costs ${text}`]);
    }
    const all = await list('/items?sort=price&limit=100');
    expect(all.items.map((i) => Math.round(i.price * 100))).toEqual([...cents].sort((x, y) => x - y));
  });
});

describe('getItem', () => {
  it('answers 200 with the tags, ids and names, sorted by name', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const tags = [];
    for (const name of ['winter', 'new', 'sale']) {
      const tag = await givenTag(t, store.id, name);
      tags.push(tag);
      expect((await t.request({ method: 'PUT', url: `/items/${item.id}/tags/${tag.id}` })).statusCode).toBe(200);
    }
    const response = await t.request({ method: 'GET', url: `/items/${item.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.data.tags).toEqual(
      [...tags].sort((x, y) => x.name.localeCompare(y.name)).map((tag) => ({ id: tag.id, name: tag.name })),
    );
    expect(response.data.tags.map((tag: { name: string }) => tag.name)).toEqual(['new', 'sale', 'winter']);
  });

  it('answers 404 problem for an id that names nothing, and for one that is not even an id', async () => {
    for (const id of [unknownId, 'nope']) {
      const response = await t.request({ method: 'GET', url: `/items/${id}` });
      expect(response.statusCode).toBe(404);
      expect(response.data).toMatchObject({ status: 404, type: '/problems/not-found', instance: `/items/${id}` });
    }
  });
});

describe('replaceItem', () => {
  it('replaces name, price and description; an omitted description becomes null; store and tags stay', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id, 'my item', 15.99, 'Old text.');
    const tag = await givenTag(t, store.id, 'sale');
    const tagged = await t.request({ method: 'PUT', url: `/items/${item.id}/tags/${tag.id}` });
    expect(tagged.statusCode).toBe(200);
    await tick();

    const put = (payload: object) => t.request({ method: 'PUT', url: `/items/${item.id}`, payload });
    const replaced = await put({ name: 'renamed', price: 16.5, description: 'New text.' });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.data).toMatchObject({
      id: item.id,
      storeId: store.id,
      name: 'renamed',
      price: 16.5,
      description: 'New text.',
      tags: [{ id: tag.id, name: 'sale' }],
      createdAt: item.createdAt,
    });
    expect(replaced.data.updatedAt > tagged.data.updatedAt).toBe(true);

    const withoutDescription = await put({ name: 'renamed', price: 16.5 });
    expect(withoutDescription.statusCode).toBe(200);
    expect(withoutDescription.data.description).toBeNull();
    const fetched = await t.request({ method: 'GET', url: `/items/${item.id}` });
    expect(fetched.data).toEqual(withoutDescription.data);
  });

  it('is idempotent: the same body twice leaves the same state', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id, 'my item', 15.99);
    const body = { name: 'replaced', price: 9.99, description: 'Same every time.' };
    const first = await t.request({ method: 'PUT', url: `/items/${item.id}`, payload: body });
    await tick();
    const second = await t.request({ method: 'PUT', url: `/items/${item.id}`, payload: body });
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    const { updatedAt: _first, ...firstState } = first.data;
    const { updatedAt: _second, ...secondState } = second.data;
    expect(secondState).toEqual(firstState);
    expect(secondState).toMatchObject(body);
    expect((await t.request({ method: 'GET', url: `/items/${item.id}` })).data).toEqual(second.data);
    expect((await list('/items')).items).toHaveLength(1);
  });

  it('keeps its own name without a conflict, and takes a name used only in another store', async () => {
    const store = await givenStore(t, 'My Store');
    const other = await givenStore(t, 'Other Store');
    const item = await givenItem(t, store.id, 'my item', 1);
    await givenItem(t, other.id, 'their item', 1);
    const same = await t.request({ method: 'PUT', url: `/items/${item.id}`, payload: { name: 'my item', price: 2 } });
    expect(same.statusCode).toBe(200);
    expect(same.data.price).toBe(2);
    const theirs = await t.request({
      method: 'PUT',
      url: `/items/${item.id}`,
      payload: { name: 'their item', price: 2 },
    });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.data).toMatchObject({ name: 'their item', storeId: store.id });
  });

  it('answers 404, 409, 400 and 415 as the spec declares, and changes nothing', async () => {
    const store = await givenStore(t, 'My Store');
    const other = await givenStore(t, 'Other Store');
    const item = await givenItem(t, store.id, 'my item', 15.99, 'Kept.');
    await givenItem(t, store.id, 'taken', 1);
    const url = `/items/${item.id}`;
    const cases: [string, Request, number, string][] = [
      ['unknown item', { method: 'PUT', url: `/items/${unknownId}`, payload: { name: 'x', price: 1 } }, 404, ''],
      ['taken name', { method: 'PUT', url, payload: { name: 'taken', price: 1 } }, 409, ''],
      ['storeId member', { method: 'PUT', url, payload: { storeId: other.id, name: 'x', price: 1 } }, 400, '/storeId'],
      ['id member', { method: 'PUT', url, payload: { id: unknownId, name: 'x', price: 1 } }, 400, '/id'],
      ['no price', { method: 'PUT', url, payload: { name: 'x' } }, 400, '/price'],
      ['no name', { method: 'PUT', url, payload: { price: 1 } }, 400, '/name'],
      ['three decimals', { method: 'PUT', url, payload: { name: 'x', price: 1.001 } }, 400, '/price'],
      ['merge patch', { ...mergePatch(url, { name: 'x', price: 1 }), method: 'PUT' }, 415, ''],
    ];
    for (const [name, request, status, pointer] of cases) {
      const response = await t.request(request);
      expect(response.statusCode, name).toBe(status);
      expect(response.data.status, name).toBe(status);
      if (pointer) expectIssues(response, 'body', pointer, name);
    }
    const unchanged = await t.request({ method: 'GET', url });
    expect(unchanged.data).toEqual(item);
  });
});

describe('updateItem', () => {
  it('changes only the members sent', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id, 'my item', 15.99, 'Kept.');
    await tick();
    const repriced = await t.request(mergePatch(`/items/${item.id}`, { price: 14.5 }));
    expect(repriced.statusCode).toBe(200);
    expect(repriced.data).toEqual({ ...item, price: 14.5, updatedAt: repriced.data.updatedAt });
    expect(repriced.data.updatedAt > item.updatedAt).toBe(true);
    const renamed = await t.request(mergePatch(`/items/${item.id}`, { name: 'renamed' }));
    expect(renamed.data).toMatchObject({ name: 'renamed', price: 14.5, description: 'Kept.' });
    const described = await t.request(mergePatch(`/items/${item.id}`, { description: 'New.' }));
    expect(described.data).toMatchObject({ name: 'renamed', price: 14.5, description: 'New.', storeId: store.id });
    expect((await t.request({ method: 'GET', url: `/items/${item.id}` })).data).toEqual(described.data);
  });

  it('removes the description with "description": null', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id, 'my item', 15.99, 'To be removed.');
    const response = await t.request(mergePatch(`/items/${item.id}`, { description: null }));
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ description: null, name: 'my item', price: 15.99 });
    expect((await t.request({ method: 'GET', url: `/items/${item.id}` })).data.description).toBeNull();
  });

  it('changes nothing, not even updatedAt, with an empty patch', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id, 'my item', 15.99, 'Kept.');
    await tick();
    const response = await t.request(mergePatch(`/items/${item.id}`, {}));
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual(item);
    expect((await t.request({ method: 'GET', url: `/items/${item.id}` })).data).toEqual(item);
  });

  it('answers 400, 404, 409 and 415 as the spec declares, and changes nothing', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id, 'my item', 15.99, 'Kept.');
    await givenItem(t, store.id, 'taken', 1);
    const url = `/items/${item.id}`;
    const cases: [string, Request, number, string][] = [
      ['null name', mergePatch(url, { name: null }), 400, '/name'],
      ['null price', mergePatch(url, { price: null }), 400, '/price'],
      ['negative price', mergePatch(url, { price: -0.01 }), 400, '/price'],
      ['storeId member', mergePatch(url, { storeId: unknownId }), 400, '/storeId'],
      ['unknown item', mergePatch(`/items/${unknownId}`, { price: 1 }), 404, ''],
      ['taken name', mergePatch(url, { name: 'taken' }), 409, ''],
      ['too large', mergePatch(url, { description: 'x'.repeat(70_000) }), 413, ''],
      ['plain JSON', { method: 'PATCH', url, payload: { price: 1 } }, 415, ''],
    ];
    for (const [name, request, status, pointer] of cases) {
      const response = await t.request(request);
      expect(response.statusCode, name).toBe(status);
      expect(response.data.status, name).toBe(status);
      if (pointer) expectIssues(response, 'body', pointer, name);
    }
    expect((await t.request({ method: 'GET', url })).data).toEqual(item);
  });
});

describe('deleteItem', () => {
  it('answers 204; GET then answers 404; the tag stays but its links are gone', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id, 'doomed');
    const kept = await givenItem(t, store.id, 'kept');
    const tag = await givenTag(t, store.id);
    for (const target of [item, kept]) {
      expect((await t.request({ method: 'PUT', url: `/items/${target.id}/tags/${tag.id}` })).statusCode).toBe(200);
    }
    const deleted = await t.request({ method: 'DELETE', url: `/items/${item.id}` });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await t.request({ method: 'GET', url: `/items/${item.id}` })).statusCode).toBe(404);
    const fetchedTag = await t.request({ method: 'GET', url: `/tags/${tag.id}` });
    expect(fetchedTag.statusCode).toBe(200);
    expect(fetchedTag.data).toEqual(tag);
    expect(namesOf((await list(`/items?tagId=${tag.id}`)).items)).toEqual(['kept']);
    const keptNow = await t.request({ method: 'GET', url: `/items/${kept.id}` });
    expect(keptNow.data.tags).toEqual([{ id: tag.id, name: tag.name }]);
  });

  it('leaves a tag with no links, so the tag can then be deleted', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const tag = await givenTag(t, store.id);
    expect((await t.request({ method: 'PUT', url: `/items/${item.id}/tags/${tag.id}` })).statusCode).toBe(200);
    expect((await t.request({ method: 'DELETE', url: `/items/${item.id}` })).statusCode).toBe(204);
    expect((await list(`/items?tagId=${tag.id}`)).items).toEqual([]);
    expect((await t.request({ method: 'DELETE', url: `/tags/${tag.id}` })).statusCode).toBe(204);
  });

  it('answers 404 for an item that does not exist, or no longer does', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    expect((await t.request({ method: 'DELETE', url: `/items/${item.id}` })).statusCode).toBe(204);
    for (const id of [unknownId, item.id]) {
      const response = await t.request({ method: 'DELETE', url: `/items/${id}` });
      expect(response.statusCode, id).toBe(404);
      expect(response.data).toMatchObject({ status: 404, type: '/problems/not-found' });
    }
  });
});

describe('listItems', () => {
  it('filters by storeId, tagId, minPrice, maxPrice and a case-insensitive name substring', async () => {
    const { a, b, items } = await givenCatalogue();
    const tag = await givenTag(t, a.id, 'fruit');
    const tagged = items.filter((i) => i.storeId === a.id && i.price === 3.5);
    for (const item of tagged) {
      expect((await t.request({ method: 'PUT', url: `/items/${item.id}/tags/${tag.id}` })).statusCode).toBe(200);
    }
    const expectIds = async (query: string, keep: (i: Item) => boolean) => {
      const page = await list(`/items?${query}&limit=100`);
      expect(idsOf(page.items), query).toEqual(idsOf(sorted(items.filter(keep), 'name')));
      expect(page.items.length, query).toBeGreaterThan(0);
      expect(page.items.length, query).toBeLessThan(items.length);
    };
    await expectIds(`storeId=${a.id}`, (i) => i.storeId === a.id);
    await expectIds(`storeId=${b.id}`, (i) => i.storeId === b.id);
    await expectIds(`tagId=${tag.id}`, (i) => tagged.includes(i));
    await expectIds('minPrice=3.5', (i) => i.price >= 3.5);
    await expectIds('maxPrice=1.25', (i) => i.price <= 1.25);
    await expectIds('q=AN', (i) => i.name.includes('an'));
    await expectIds('q=Berry', (i) => i.name.includes('berry'));
    expect((await list(`/items?storeId=${unknownId}`)).items).toEqual([]);
  });

  it('combines filters with AND', async () => {
    const { a, b, items } = await givenCatalogue();
    const tag = await givenTag(t, b.id, 'sweet');
    for (const item of items.filter((i) => i.storeId === b.id)) {
      expect((await t.request({ method: 'PUT', url: `/items/${item.id}/tags/${tag.id}` })).statusCode).toBe(200);
    }
    const cases: [string, (i: Item) => boolean][] = [
      [`storeId=${a.id}&minPrice=1&maxPrice=5`, (i) => i.storeId === a.id && i.price >= 1 && i.price <= 5],
      [`storeId=${b.id}&q=A`, (i) => i.storeId === b.id && i.name.includes('a')],
      [`tagId=${tag.id}&maxPrice=1.25`, (i) => i.storeId === b.id && i.price <= 1.25],
      [`tagId=${tag.id}&storeId=${a.id}`, () => false],
      [`minPrice=1&maxPrice=3.5&q=e`, (i) => i.price >= 1 && i.price <= 3.5 && i.name.includes('e')],
      ['minPrice=5&maxPrice=1', () => false],
    ];
    for (const [query, keep] of cases) {
      const page = await list(`/items?${query}&limit=100`);
      expect(idsOf(page.items), query).toEqual(idsOf(sorted(items.filter(keep), 'name')));
    }
  });

  // The spec promises case folding for A to Z only (SQLite's LIKE): other letters must match exactly.
  it('matches q ignoring the case of A to Z, and other letters exactly, as the spec says', async () => {
    const store = await givenStore(t);
    for (const name of ['Äpfel', 'äpfel', 'APPLE']) await givenItem(t, store.id, name);
    expect(namesOf((await list('/items?q=apple')).items)).toEqual(['APPLE']);
    expect(namesOf((await list('/items?q=%C3%A4pfel')).items)).toEqual(['äpfel']);
  });

  it('matches q literally, so LIKE wildcards in it are plain characters', async () => {
    const store = await givenStore(t);
    for (const name of ['100% cotton', '1000 cotton', 'snake_case', 'snakescase', 'back\\slash', 'backslash']) {
      await givenItem(t, store.id, name);
    }
    expect(namesOf((await list('/items?q=0%25')).items)).toEqual(['100% cotton']);
    expect(namesOf((await list('/items?q=e_c')).items)).toEqual(['snake_case']);
    expect(namesOf((await list('/items?q=k%5Cs')).items)).toEqual(['back\\slash']);
  });

  it('sorts by every sort it offers, breaking ties by id, and by name by default', async () => {
    const { items } = await givenCatalogue();
    // The catalogue has ties for name and price, so the id tie-break is exercised.
    expect(new Set(items.map((i) => i.name)).size).toBeLessThan(items.length);
    expect(new Set(items.map((i) => i.price)).size).toBeLessThan(items.length);
    for (const sort of allSorts) {
      const page = await list(`/items?sort=${sort}`);
      expect(idsOf(page.items), sort).toEqual(idsOf(sorted(items, sort)));
    }
    expect(idsOf((await list('/items')).items)).toEqual(idsOf(sorted(items, 'name')));
    expect(namesOf((await list('/items?sort=-name')).items).slice(0, 3)).toEqual(['honeydew', 'grape', 'fig']);
  });

  it('pages through every item exactly once with limit=3, for every sort, with next absent on the last page', async () => {
    const { items } = await givenCatalogue();
    for (const sort of allSorts) {
      const { pages, all } = await walkPages<Item>(t, `/items?sort=${sort}&limit=3`, 'items');
      expect(
        pages.map((p) => p.length),
        sort,
      ).toEqual([3, 3, 3, 1]);
      expect(new Set(idsOf(all)).size, sort).toBe(all.length);
      expect(idsOf(all), sort).toEqual(idsOf(sorted(items, sort)));
    }
  });

  it('keeps filters across pages, gives absolute next links, and ends without an empty page', async () => {
    const { a, items } = await givenCatalogue();
    const first = await list(`/items?storeId=${a.id}&minPrice=1&sort=-price&limit=2`);
    expect(first.next).toMatch(/^http:\/\/localhost\/items\?/);
    const next = new URL(String(first.next));
    expect(next.searchParams.get('storeId')).toBe(a.id);
    expect(next.searchParams.get('sort')).toBe('-price');
    expect(next.searchParams.get('limit')).toBe('2');
    const { pages, all } = await walkPages<Item>(t, `/items?storeId=${a.id}&minPrice=1&sort=-price&limit=2`, 'items');
    const expected = sorted(
      items.filter((i) => i.storeId === a.id && i.price >= 1),
      '-price',
    );
    expect(expected).toHaveLength(4);
    expect(pages.map((p) => p.length)).toEqual([2, 2]);
    expect(idsOf(all)).toEqual(idsOf(expected));
  });

  it('accepts a cursor with another limit, as long as filters and sort are the same', async () => {
    const { items } = await givenCatalogue();
    const first = await list('/items?sort=price&limit=4');
    const cursor = new URL(String(first.next)).searchParams.get('cursor');
    const rest = await list(`/items?sort=price&limit=100&cursor=${cursor}`);
    expect(rest.next).toBeUndefined();
    expect(idsOf([...first.items, ...rest.items])).toEqual(idsOf(sorted(items, 'price')));
  });

  it('pages 20 by default and at most 100', async () => {
    const store = await givenStore(t);
    for (let i = 0; i < 101; i++) await givenItem(t, store.id, `item ${String(i).padStart(3, '0')}`, i);
    const byDefault = await list('/items');
    expect(byDefault.items).toHaveLength(20);
    expect(byDefault.next).toBeDefined();
    const most = await list('/items?limit=100');
    expect(most.items).toHaveLength(100);
    const last = await list(String(most.next).replace(/^https?:\/\/[^/]+/, ''));
    expect(namesOf(last.items)).toEqual(['item 100']);
    expect(last.next).toBeUndefined();
  });

  it('answers 400 naming the query parameter for limits out of range, unknown sorts and unknown parameters', async () => {
    const cases: [string, string][] = [
      ['/items?limit=101', '/limit'],
      ['/items?limit=0', '/limit'],
      ['/items?limit=-1', '/limit'],
      ['/items?limit=abc', '/limit'],
      ['/items?limit=1.5', '/limit'],
      ['/items?sort=colour', '/sort'],
      ['/items?sort=-storeId', '/sort'],
      ['/items?minPrice=1.001', '/minPrice'],
      ['/items?maxPrice=-1', '/maxPrice'],
      ['/items?q=', '/q'],
      ['/items?colour=red', '/colour'],
      ['/items?storeid=x', '/storeid'],
    ];
    for (const [url, pointer] of cases) {
      expectIssues(await t.request({ method: 'GET', url }), 'query', pointer, url);
    }
  });

  it('answers 400 for a garbage or tampered cursor, and for a cursor reused with other filters or sort', async () => {
    const { a } = await givenCatalogue();
    await givenStore(t, 'Store C');
    const first = await list(`/items?storeId=${a.id}&sort=price&limit=2`);
    const cursor = String(new URL(String(first.next)).searchParams.get('cursor'));
    const stores = await t.request({ method: 'GET', url: '/stores?limit=1' });
    const storeCursor = String(new URL(stores.data.next).searchParams.get('cursor'));
    const tampered = `${cursor.slice(0, -1)}${cursor.endsWith('A') ? 'B' : 'A'}`;
    for (const url of [
      '/items?cursor=garbage',
      `/items?cursor=${storeCursor}`,
      `/items?storeId=${a.id}&sort=price&limit=2&cursor=${tampered}`,
      `/items?storeId=${a.id}&sort=-price&limit=2&cursor=${cursor}`,
      `/items?storeId=${a.id}&sort=name&limit=2&cursor=${cursor}`,
      `/items?sort=price&limit=2&cursor=${cursor}`,
      `/items?storeId=${a.id}&sort=price&minPrice=1&limit=2&cursor=${cursor}`,
      `/items?storeId=${a.id}&sort=price&q=a&limit=2&cursor=${cursor}`,
    ]) {
      const response = await t.request({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.data, url).toMatchObject({ status: 400, type: '/problems/malformed-request' });
    }
    const same = await t.request({ method: 'GET', url: `/items?storeId=${a.id}&sort=price&limit=2&cursor=${cursor}` });
    expect(same.statusCode).toBe(200);
  });
});
