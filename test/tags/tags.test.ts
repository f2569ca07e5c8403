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

type Tag = { id: string; storeId: string; name: string; createdAt: string; updatedAt: string };

/** Waits until the clock has moved on, so a timestamp written next differs from every one written before. */
async function tick() {
  const start = Date.now();
  while (Date.now() <= start + 1) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** givenTag, typed with the timestamps the fixture's declared type leaves out. */
async function newTag(storeId: string, name?: string): Promise<Tag> {
  return (await givenTag(t, storeId, name)) as Tag;
}

async function link(itemId: string, tagId: string) {
  const response = await t.request({ method: 'PUT', url: `/items/${itemId}/tags/${tagId}` });
  expect(response.statusCode).toBe(200);
}

async function unlink(itemId: string, tagId: string) {
  const response = await t.request({ method: 'DELETE', url: `/items/${itemId}/tags/${tagId}` });
  expect(response.statusCode).toBe(200);
}

async function allTags(query = ''): Promise<Tag[]> {
  const response = await t.request({ method: 'GET', url: `/tags?limit=100${query}` });
  expect(response.statusCode).toBe(200);
  expect(response.data.next).toBeUndefined();
  return response.data.tags;
}

/** The order listTags promises: by name, ties broken by id. */
function byNameThenId(a: Tag, b: Tag) {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

describe('createTag', () => {
  it('answers 201 with Location and the tag with its storeId, which GET at Location returns unchanged', async () => {
    const store = await givenStore(t);
    const created = await t.request({ method: 'POST', url: '/tags', payload: { storeId: store.id, name: 'sale' } });
    expect(created.statusCode).toBe(201);
    expect(created.data).toMatchObject({ storeId: store.id, name: 'sale' });
    expect(created.data.createdAt).toBe(created.data.updatedAt);
    expect(created.headers.location).toBe(`http://localhost/tags/${created.data.id}`);
    const fetched = await t.request({ method: 'GET', url: new URL(String(created.headers.location)).pathname });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.data).toEqual(created.data);
  });

  it('answers 422 for a storeId that names no store, and creates nothing', async () => {
    const response = await t.request({ method: 'POST', url: '/tags', payload: { storeId: unknownId, name: 'sale' } });
    expect(response.statusCode).toBe(422);
    expect(response.data).toMatchObject({ status: 422, type: '/problems/unprocessable' });
    expect(response.data.detail).toContain(unknownId);
    expect(await allTags()).toEqual([]);
  });

  it('answers 409 for a name the store already has, but lets two stores each have a tag sale', async () => {
    const first = await givenStore(t, 'First');
    const second = await givenStore(t, 'Second');
    const original = await newTag(first.id, 'sale');
    const again = await t.request({ method: 'POST', url: '/tags', payload: { storeId: first.id, name: 'sale' } });
    expect(again.statusCode).toBe(409);
    expect(again.data).toMatchObject({ status: 409, type: '/problems/conflict' });
    expect(await allTags(`&storeId=${first.id}`)).toEqual([original]);

    const other = await t.request({ method: 'POST', url: '/tags', payload: { storeId: second.id, name: 'sale' } });
    expect(other.statusCode).toBe(201);
    expect(other.data).toMatchObject({ storeId: second.id, name: 'sale' });
    expect(other.data.id).not.toBe(original.id);
    expect((await allTags()).map((tag) => tag.storeId).sort()).toEqual([first.id, second.id].sort());
  });

  it('answers 400 naming the bad member for a bad name, an unknown member or a missing storeId', async () => {
    const store = await givenStore(t);
    const cases: [string, unknown, string][] = [
      ['empty name', { storeId: store.id, name: '' }, '/name'],
      ['name over 100 characters', { storeId: store.id, name: 'x'.repeat(101) }, '/name'],
      ['leading space', { storeId: store.id, name: ' sale' }, '/name'],
      ['trailing space', { storeId: store.id, name: 'sale ' }, '/name'],
      ['control character', { storeId: store.id, name: 'sa\tle' }, '/name'],
      ['unknown member', { storeId: store.id, name: 'sale', colour: 'red' }, '/colour'],
      ['missing storeId', { name: 'sale' }, '/storeId'],
    ];
    for (const [name, payload, pointer] of cases) {
      const response = await t.request({ method: 'POST', url: '/tags', payload: payload as object });
      expect(response.statusCode, name).toBe(400);
      expect(response.data, name).toMatchObject({ status: 400, type: '/problems/validation-failed' });
      // One field may break several rules (an empty name is both too short and of the wrong form); each issue
      // must name that field and no other.
      expect(response.data.errors.length, name).toBeGreaterThan(0);
      for (const issue of response.data.errors) expect(issue, name).toMatchObject({ location: 'body', pointer });
    }
    expect(await allTags()).toEqual([]);
  });

  it('answers 400 for a body that is not JSON, not an object, or missing', async () => {
    const store = await givenStore(t);
    const json = { 'content-type': 'application/json' };
    const cases: [string, Parameters<TestApp['request']>[0], string][] = [
      [
        'broken JSON',
        { method: 'POST', url: '/tags', headers: json, payload: `{"storeId":"${store.id}"` },
        '/problems/malformed-request',
      ],
      [
        'an array',
        { method: 'POST', url: '/tags', payload: [{ storeId: store.id, name: 'sale' }] },
        '/problems/validation-failed',
      ],
      ['no body', { method: 'POST', url: '/tags' }, '/problems/validation-failed'],
    ];
    for (const [name, request, type] of cases) {
      const response = await t.request(request);
      expect(response.statusCode, name).toBe(400);
      expect(response.data, name).toMatchObject({ status: 400, type });
    }
    expect(await allTags()).toEqual([]);
  });

  it('accepts a name of exactly 100 characters', async () => {
    const store = await givenStore(t);
    const tag = await newTag(store.id, 'x'.repeat(100));
    expect(tag.name).toHaveLength(100);
  });

  it('answers 413 for a body over 64 KiB and 415 for a body that is not JSON, and creates nothing', async () => {
    const store = await givenStore(t);
    const large = await t.request({
      method: 'POST',
      url: '/tags',
      payload: { storeId: store.id, name: 'x'.repeat(70_000) },
    });
    expect(large.statusCode).toBe(413);
    expect(large.data).toMatchObject({ status: 413, type: '/problems/payload-too-large' });
    const text = await t.request({
      method: 'POST',
      url: '/tags',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ storeId: store.id, name: 'sale' }),
    });
    expect(text.statusCode).toBe(415);
    expect(text.data).toMatchObject({ status: 415, type: '/problems/unsupported-media-type' });
    expect(await allTags()).toEqual([]);
  });
});

describe('getTag', () => {
  it('answers 200 with the tag', async () => {
    const store = await givenStore(t);
    const tag = await newTag(store.id, 'sale');
    await newTag(store.id, 'new');
    const response = await t.request({ method: 'GET', url: `/tags/${tag.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.data).toEqual(tag);
  });

  it('answers 404 problem for an id that names nothing, and for one that is not even an id', async () => {
    for (const id of [unknownId, 'nope']) {
      const response = await t.request({ method: 'GET', url: `/tags/${id}` });
      expect(response.statusCode, id).toBe(404);
      expect(response.headers['content-type'], id).toMatch(/^application\/problem\+json/);
      expect(response.data, id).toMatchObject({ status: 404, type: '/problems/not-found', instance: `/tags/${id}` });
    }
  });

  it('answers 400 for an id with characters no id has', async () => {
    const response = await t.request({ method: 'GET', url: '/tags/a.b' });
    expect(response.statusCode).toBe(400);
    expect(response.data).toMatchObject({ status: 400, type: '/problems/validation-failed' });
    expect(response.data.errors[0]).toMatchObject({ location: 'path', pointer: '/tagId' });
  });
});

describe('updateTag', () => {
  it('renames with a merge patch, keeps id, storeId and createdAt, moves updatedAt', async () => {
    const store = await givenStore(t);
    const tag = await newTag(store.id, 'sale');
    await tick();
    const response = await t.request(mergePatch(`/tags/${tag.id}`, { name: 'clearance' }));
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ id: tag.id, storeId: store.id, name: 'clearance', createdAt: tag.createdAt });
    expect(response.data.updatedAt > tag.updatedAt).toBe(true);
    const fetched = await t.request({ method: 'GET', url: `/tags/${tag.id}` });
    expect(fetched.data).toEqual(response.data);
  });

  it('shows the new name at once on every item that carries the tag', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id, 'my item');
    const tag = await newTag(store.id, 'sale');
    await link(item.id, tag.id);
    const renamed = await t.request(mergePatch(`/tags/${tag.id}`, { name: 'clearance' }));
    expect(renamed.statusCode).toBe(200);
    const fetched = await t.request({ method: 'GET', url: `/items/${item.id}` });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.data.tags).toEqual([{ id: tag.id, name: 'clearance' }]);
    const listed = await t.request({ method: 'GET', url: `/items?tagId=${tag.id}` });
    expect(listed.statusCode).toBe(200);
    expect(listed.data.items).toEqual([
      expect.objectContaining({ id: item.id, tags: [{ id: tag.id, name: 'clearance' }] }),
    ]);
  });

  it('changes nothing for an empty patch, not even updatedAt', async () => {
    const store = await givenStore(t);
    const tag = await newTag(store.id, 'sale');
    await tick();
    const response = await t.request(mergePatch(`/tags/${tag.id}`, {}));
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual(tag);
    const fetched = await t.request({ method: 'GET', url: `/tags/${tag.id}` });
    expect(fetched.data).toEqual(tag);
  });

  it('answers 400 for name: null (a name cannot be removed), a bad name, an unknown member or a patch that is not an object', async () => {
    const store = await givenStore(t);
    const tag = await newTag(store.id, 'sale');
    const cases: [unknown, string][] = [
      [{ name: null }, '/name'],
      [{ name: '' }, '/name'],
      [{ colour: 'red' }, '/colour'],
      [null, ''],
      [['clearance'], ''],
    ];
    for (const [body, pointer] of cases) {
      const response = await t.request(mergePatch(`/tags/${tag.id}`, body));
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.data.errors, JSON.stringify(body)).toEqual(
        expect.arrayContaining([expect.objectContaining({ location: 'body', pointer })]),
      );
    }
    expect((await t.request({ method: 'GET', url: `/tags/${tag.id}` })).data).toEqual(tag);
  });

  it('answers 409 for a name another tag of the same store has, but takes a name used in another store', async () => {
    const store = await givenStore(t, 'First');
    const other = await givenStore(t, 'Second');
    const tag = await newTag(store.id, 'sale');
    await newTag(store.id, 'new');
    await newTag(other.id, 'clearance');
    const taken = await t.request(mergePatch(`/tags/${tag.id}`, { name: 'new' }));
    expect(taken.statusCode).toBe(409);
    expect(taken.data).toMatchObject({ status: 409, type: '/problems/conflict' });
    expect(taken.data.detail).toContain('new');
    expect((await t.request({ method: 'GET', url: `/tags/${tag.id}` })).data).toEqual(tag);

    const elsewhere = await t.request(mergePatch(`/tags/${tag.id}`, { name: 'clearance' }));
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.data).toMatchObject({ id: tag.id, storeId: store.id, name: 'clearance' });
  });

  it('answers 200 for a patch that sets the name the tag already has', async () => {
    const store = await givenStore(t);
    const tag = await newTag(store.id, 'sale');
    const response = await t.request(mergePatch(`/tags/${tag.id}`, { name: 'sale' }));
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ id: tag.id, name: 'sale', createdAt: tag.createdAt });
  });

  it('answers 404 for an unknown tag, 415 for application/json and 413 for a body over 64 KiB', async () => {
    const store = await givenStore(t);
    const tag = await newTag(store.id, 'sale');
    const cases: [string, Parameters<TestApp['request']>[0], number, string][] = [
      ['unknown tag', mergePatch(`/tags/${unknownId}`, { name: 'x' }), 404, '/problems/not-found'],
      ['unknown tag, empty patch', mergePatch(`/tags/${unknownId}`, {}), 404, '/problems/not-found'],
      [
        'plain JSON',
        { method: 'PATCH', url: `/tags/${tag.id}`, payload: { name: 'x' } },
        415,
        '/problems/unsupported-media-type',
      ],
      ['too large', mergePatch(`/tags/${tag.id}`, { name: 'x'.repeat(70_000) }), 413, '/problems/payload-too-large'],
    ];
    for (const [name, request, status, type] of cases) {
      const response = await t.request(request);
      expect(response.statusCode, name).toBe(status);
      expect(response.data, name).toMatchObject({ status, type });
    }
    expect((await t.request({ method: 'GET', url: `/tags/${tag.id}` })).data).toEqual(tag);
  });
});

describe('deleteTag', () => {
  it('answers 204 with no body; GET then answers 404 and the list no longer has it', async () => {
    const store = await givenStore(t);
    const tag = await newTag(store.id, 'sale');
    const kept = await newTag(store.id, 'new');
    const deleted = await t.request({ method: 'DELETE', url: `/tags/${tag.id}` });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await t.request({ method: 'GET', url: `/tags/${tag.id}` })).statusCode).toBe(404);
    expect(await allTags()).toEqual([kept]);
  });

  it('answers 409 saying how many items still carry the tag, keeps tag and links, and deletes once untagged', async () => {
    const store = await givenStore(t);
    const first = await givenItem(t, store.id, 'first item');
    const second = await givenItem(t, store.id, 'second item');
    const tag = await newTag(store.id, 'sale');
    await link(first.id, tag.id);
    await link(second.id, tag.id);

    const twice = await t.request({ method: 'DELETE', url: `/tags/${tag.id}` });
    expect(twice.statusCode).toBe(409);
    expect(twice.data).toMatchObject({ status: 409, type: '/problems/conflict' });
    expect(twice.data.detail).toMatch(/\b2 items\b/);
    expect((await t.request({ method: 'GET', url: `/tags/${tag.id}` })).data).toEqual(tag);
    for (const item of [first, second]) {
      const fetched = await t.request({ method: 'GET', url: `/items/${item.id}` });
      expect(fetched.data.tags).toEqual([{ id: tag.id, name: 'sale' }]);
    }

    await unlink(first.id, tag.id);
    const once = await t.request({ method: 'DELETE', url: `/tags/${tag.id}` });
    expect(once.statusCode).toBe(409);
    expect(once.data.detail).toMatch(/\b1 item\b/);
    expect((await t.request({ method: 'GET', url: `/items/${second.id}` })).data.tags).toEqual([
      { id: tag.id, name: 'sale' },
    ]);

    await unlink(second.id, tag.id);
    const deleted = await t.request({ method: 'DELETE', url: `/tags/${tag.id}` });
    expect(deleted.statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: `/tags/${tag.id}` })).statusCode).toBe(404);
    for (const item of [first, second]) {
      const fetched = await t.request({ method: 'GET', url: `/items/${item.id}` });
      expect(fetched.statusCode).toBe(200);
      expect(fetched.data.tags).toEqual([]);
    }
  });

  it('answers 404 problem for a tag that does not exist', async () => {
    const response = await t.request({ method: 'DELETE', url: `/tags/${unknownId}` });
    expect(response.statusCode).toBe(404);
    expect(response.data).toMatchObject({ status: 404, type: '/problems/not-found', instance: `/tags/${unknownId}` });
  });

  it('goes with its store: deleting the store deletes its tags (GET answers 404), other stores keep theirs', async () => {
    const store = await givenStore(t, 'Gone');
    const other = await givenStore(t, 'Kept');
    const item = await givenItem(t, store.id);
    const tag = await newTag(store.id, 'sale');
    const unused = await newTag(store.id, 'new');
    const kept = await newTag(other.id, 'sale');
    await link(item.id, tag.id);
    expect((await t.request({ method: 'DELETE', url: `/stores/${store.id}` })).statusCode).toBe(204);
    for (const id of [tag.id, unused.id]) {
      expect((await t.request({ method: 'GET', url: `/tags/${id}` })).statusCode, id).toBe(404);
    }
    expect(await allTags()).toEqual([kept]);
  });
});

describe('listTags', () => {
  it('answers an empty list with no next when there are no tags', async () => {
    const response = await t.request({ method: 'GET', url: '/tags' });
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({ tags: [] });
  });

  it('sorts by name, breaking ties by id, and filters by storeId', async () => {
    const stores = [await givenStore(t, 'A'), await givenStore(t, 'B'), await givenStore(t, 'C')];
    const created: Tag[] = [];
    for (const [store, name] of [
      [2, 'sale'],
      [0, 'new'],
      [1, 'sale'],
      [0, 'sale'],
      [1, 'clearance'],
      [2, 'new'],
    ] as const) {
      created.push(await newTag(stores[store]?.id ?? '', name));
    }
    const all = await allTags();
    expect(all).toEqual([...created].sort(byNameThenId));
    expect(all.map((tag) => tag.name)).toEqual(['clearance', 'new', 'new', 'sale', 'sale', 'sale']);

    const ofA = await allTags(`&storeId=${stores[0]?.id}`);
    expect(ofA.map((tag) => tag.name)).toEqual(['new', 'sale']);
    expect(ofA.every((tag) => tag.storeId === stores[0]?.id)).toBe(true);
    expect(await allTags(`&storeId=${unknownId}`)).toEqual([]);
  });

  it('filters by a name substring, ignoring case, with %, _ and \\ matching only themselves', async () => {
    const store = await givenStore(t);
    for (const name of [
      'Summer Sale',
      'sale',
      'wholesale',
      'clearance',
      '50% off',
      '50 off',
      'a_b',
      'axb',
      'back\\slash',
      'backslash',
    ]) {
      await newTag(store.id, name);
    }
    const names = async (q: string) => {
      const response = await t.request({ method: 'GET', url: `/tags?q=${q}` });
      expect(response.statusCode, q).toBe(200);
      return response.data.tags.map((tag: Tag) => tag.name);
    };
    expect(await names('SALE')).toEqual(['Summer Sale', 'sale', 'wholesale'].sort());
    expect(await names('%25')).toEqual(['50% off']);
    expect(await names('0%25%20')).toEqual(['50% off']);
    expect(await names('_')).toEqual(['a_b']);
    expect(await names('a_')).toEqual(['a_b']);
    expect(await names('k%5Cs')).toEqual(['back\\slash']);
    expect(await names('nothing')).toEqual([]);
  });

  it('combines storeId and q', async () => {
    const first = await givenStore(t, 'First');
    const second = await givenStore(t, 'Second');
    const mine = await newTag(first.id, 'Sale');
    await newTag(first.id, 'new');
    await newTag(second.id, 'sale');
    expect(await allTags(`&storeId=${first.id}&q=sale`)).toEqual([mine]);
  });

  it('pages through every tag exactly once in order, ties across page breaks included, next absent at the end', async () => {
    const stores = [await givenStore(t, 'A'), await givenStore(t, 'B'), await givenStore(t, 'C')];
    const created: Tag[] = [];
    for (const [store, name] of [
      [0, 'sale'],
      [1, 'sale'],
      [2, 'sale'],
      [0, 'new'],
      [1, 'new'],
      [0, 'old'],
      [1, 'zz'],
    ] as const) {
      created.push(await newTag(stores[store]?.id ?? '', name));
    }
    const first = await t.request({ method: 'GET', url: '/tags?limit=2' });
    expect(first.data.next).toMatch(/^http:\/\/localhost\/tags\?/);
    const { pages, all } = await walkPages<Tag>(t, '/tags?limit=2', 'tags');
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 1]);
    expect(new Set(all.map((tag) => tag.id)).size).toBe(7);
    expect(all).toEqual([...created].sort(byNameThenId));

    // An exact multiple of the limit ends without an empty page; next keeps the filter.
    const ofA = await walkPages<Tag>(t, `/tags?storeId=${stores[0]?.id}&limit=1`, 'tags');
    expect(ofA.pages.map((page) => page.length)).toEqual([1, 1, 1]);
    expect(ofA.all.map((tag) => tag.name)).toEqual(['new', 'old', 'sale']);
    const sales = await walkPages<Tag>(t, '/tags?q=sale&limit=1', 'tags');
    expect(sales.all).toEqual(created.filter((tag) => tag.name === 'sale').sort(byNameThenId));
  });

  it('answers 400 for a garbage cursor and for a cursor reused with another storeId or q', async () => {
    const first = await givenStore(t, 'First');
    const second = await givenStore(t, 'Second');
    for (const name of ['a', 'b', 'c']) {
      await newTag(first.id, name);
      await newTag(second.id, name);
    }
    const ofFirst = await t.request({ method: 'GET', url: `/tags?storeId=${first.id}&limit=1` });
    const storeCursor = new URL(ofFirst.data.next).searchParams.get('cursor');
    const matching = await t.request({ method: 'GET', url: '/tags?q=a&limit=1' });
    const qCursor = new URL(matching.data.next).searchParams.get('cursor');
    const unfiltered = await t.request({ method: 'GET', url: '/tags?limit=1' });
    const plainCursor = new URL(unfiltered.data.next).searchParams.get('cursor');
    expect(storeCursor && qCursor && plainCursor).toBeTruthy();

    for (const url of [
      '/tags?cursor=garbage',
      `/tags?cursor=${storeCursor}x`,
      `/tags?cursor=${storeCursor}&storeId=${second.id}`,
      `/tags?cursor=${storeCursor}`,
      `/tags?cursor=${storeCursor}&storeId=${first.id}&q=a`,
      `/tags?cursor=${qCursor}&q=b`,
      `/tags?cursor=${qCursor}`,
      `/tags?cursor=${plainCursor}&storeId=${first.id}`,
      `/tags?cursor=${plainCursor}&q=a`,
    ]) {
      const response = await t.request({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.data, url).toMatchObject({ status: 400, type: '/problems/malformed-request' });
    }
    // The same cursors with the filters they were issued for are fine.
    for (const url of [
      `/tags?cursor=${storeCursor}&storeId=${first.id}&limit=1`,
      `/tags?cursor=${qCursor}&q=a&limit=1`,
      `/tags?cursor=${plainCursor}&limit=1`,
    ]) {
      expect((await t.request({ method: 'GET', url })).statusCode, url).toBe(200);
    }
  });

  it('answers 400 naming limit for a limit out of range or not a number', async () => {
    for (const limit of ['0', '101', 'abc', '-1', '1.5']) {
      const response = await t.request({ method: 'GET', url: `/tags?limit=${limit}` });
      expect(response.statusCode, limit).toBe(400);
      expect(response.data, limit).toMatchObject({ status: 400, type: '/problems/validation-failed' });
      expect(response.data.errors, limit).toEqual([expect.objectContaining({ location: 'query', pointer: '/limit' })]);
    }
    const edges = [
      await t.request({ method: 'GET', url: '/tags?limit=1' }),
      await t.request({ method: 'GET', url: '/tags?limit=100' }),
    ];
    expect(edges.map((r) => r.statusCode)).toEqual([200, 200]);
  });

  it('answers 400 naming a query parameter it does not know, and for a bad storeId or an empty q', async () => {
    const cases: [string, string][] = [
      ['/tags?colour=red', '/colour'],
      ['/tags?storeId=a.b', '/storeId'],
      ['/tags?q=', '/q'],
    ];
    for (const [url, pointer] of cases) {
      const response = await t.request({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.data.errors, url).toEqual(
        expect.arrayContaining([expect.objectContaining({ location: 'query', pointer })]),
      );
    }
  });
});
