import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { givenItem, givenStore, givenTag } from '../helpers/fixtures.js';
import { createTestApp, mergePatch, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const strongTag = /^"[A-Za-z0-9_-]+"$/;

describe('validators and revalidation', () => {
  it('gives a store a strong ETag, and answers 304 with no body to it or its weak form', async () => {
    const store = await givenStore(t);
    const first = await t.request({ method: 'GET', url: `/stores/${store.id}`, as: null });
    expect(first.headers.etag).toMatch(strongTag);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    expect(first.headers.vary).toBe('Accept-Encoding');
    for (const tag of [first.headers.etag, `W/${first.headers.etag}`, `"other", ${first.headers.etag}`, '*']) {
      const again = await t.request({
        method: 'GET',
        url: `/stores/${store.id}`,
        headers: { 'if-none-match': String(tag) },
        as: null,
      });
      expect(again.statusCode, String(tag)).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.headers['cache-control']).toBe('public, no-cache');
      expect(again.headers.vary).toBe('Accept-Encoding');
    }
    const stale = await t.request({
      method: 'GET',
      url: `/stores/${store.id}`,
      headers: { 'if-none-match': '"stale"' },
      as: null,
    });
    expect(stale.statusCode).toBe(200);
  });

  it('changes the ETag whenever the representation changes, also through a related resource', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const tag = await givenTag(t, store.id);
    const etag = async () => (await t.request({ method: 'GET', url: `/items/${item.id}`, as: null })).headers.etag;
    const seen = [await etag()];
    await t.request({ method: 'PUT', url: `/items/${item.id}/tags/${tag.id}` });
    seen.push(await etag());
    await t.request(mergePatch(`/tags/${tag.id}`, { name: 'renamed' }));
    seen.push(await etag());
    expect(new Set(seen).size).toBe(3);
  });

  it('validates pages of a collection too, and a new item makes the page a new one', async () => {
    const store = await givenStore(t);
    const page = await t.request({ method: 'GET', url: '/items', as: null });
    expect(page.headers.etag).toMatch(strongTag);
    const same = await t.request({
      method: 'GET',
      url: '/items',
      headers: { 'if-none-match': String(page.headers.etag) },
      as: null,
    });
    expect(same.statusCode).toBe(304);
    await givenItem(t, store.id);
    const changed = await t.request({
      method: 'GET',
      url: '/items',
      headers: { 'if-none-match': String(page.headers.etag) },
      as: null,
    });
    expect(changed.statusCode).toBe(200);
  });

  it('keeps what is tied to a signed-in user out of every cache', async () => {
    const me = await t.request({ method: 'GET', url: '/users/me' });
    expect(me.headers['cache-control']).toBe('no-store');
    const problem = await t.request({ method: 'GET', url: '/stores/nope', as: null });
    expect(problem.headers['cache-control']).toBe('no-store');
  });
});

describe('optimistic concurrency', () => {
  it('changes with the current ETag (giving a new one), refuses a stale or weak one with 412, and changes nothing then', async () => {
    const store = await givenStore(t);
    const e1 = String((await t.request({ method: 'GET', url: `/stores/${store.id}`, as: null })).headers.etag);
    const first = await t.request({
      ...mergePatch(`/stores/${store.id}`, { name: 'Renamed' }),
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': e1 },
    });
    expect(first.statusCode).toBe(200);
    const e2 = String(first.headers.etag);
    expect(e2).not.toBe(e1);
    expect((await t.request({ method: 'GET', url: `/stores/${store.id}`, as: null })).headers.etag).toBe(e2);
    for (const tag of [e1, `W/${e2}`]) {
      const refused = await t.request({
        ...mergePatch(`/stores/${store.id}`, { name: 'Again' }),
        headers: { 'content-type': 'application/merge-patch+json', 'if-match': tag },
      });
      expect(refused.statusCode, tag).toBe(412);
      expect(refused.data).toMatchObject({ status: 412 });
    }
    expect((await t.request({ method: 'GET', url: `/stores/${store.id}`, as: null })).data.name).toBe('Renamed');
  });

  it('lets exactly one of 20 concurrent changes carrying the same ETag through', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const etag = String((await t.request({ method: 'GET', url: `/items/${item.id}`, as: null })).headers.etag);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request({
          ...mergePatch(`/items/${item.id}`, { price: i + 1 }),
          headers: { 'content-type': 'application/merge-patch+json', 'if-match': etag },
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = answers.find((a) => a.statusCode === 200);
    expect((await t.request({ method: 'GET', url: `/items/${item.id}`, as: null })).data.price).toBe(
      winner?.data.price,
    );
  });

  it('deletes only with the current ETag, and answers 404 (not 412) when there is nothing to delete', async () => {
    const store = await givenStore(t);
    const tag = await givenTag(t, store.id);
    const refused = await t.request({ method: 'DELETE', url: `/tags/${tag.id}`, headers: { 'if-match': '"old"' } });
    expect(refused.statusCode).toBe(412);
    const etag = String((await t.request({ method: 'GET', url: `/tags/${tag.id}`, as: null })).headers.etag);
    expect(
      (await t.request({ method: 'DELETE', url: `/tags/${tag.id}`, headers: { 'if-match': etag } })).statusCode,
    ).toBe(204);
    expect(
      (await t.request({ method: 'DELETE', url: `/tags/${tag.id}`, headers: { 'if-match': etag } })).statusCode,
    ).toBe(404);
  });

  it('requires If-Match on changes when REQUIRE_IF_MATCH is on (428), and still takes it', async () => {
    const strict = await createTestApp({ REQUIRE_IF_MATCH: 'true' });
    try {
      const store = await givenStore(strict);
      const without = await strict.request(mergePatch(`/stores/${store.id}`, { name: 'X' }));
      expect(without.statusCode).toBe(428);
      const etag = String((await strict.request({ method: 'GET', url: `/stores/${store.id}`, as: null })).headers.etag);
      const withTag = await strict.request({
        method: 'DELETE',
        url: `/stores/${store.id}`,
        headers: { 'if-match': etag },
      });
      expect(withTag.statusCode).toBe(204);
    } finally {
      await strict.close();
    }
  });
});

describe('request ids', () => {
  it('takes a well-formed X-Request-Id from the caller, makes one otherwise, and names it in problems', async () => {
    const given = await t.request({
      method: 'GET',
      url: '/stores/nope',
      headers: { 'x-request-id': 'trace-42.a:b' },
      as: null,
    });
    expect(given.headers['x-request-id']).toBe('trace-42.a:b');
    expect(given.data.requestId).toBe('trace-42.a:b');
    const bad = await t.request({
      method: 'GET',
      url: '/stores',
      headers: { 'x-request-id': 'no spaces <allowed>' },
      as: null,
    });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const docs = await t.request({ method: 'GET', url: '/docs/', as: null });
    expect(docs.headers['x-request-id']).toBeDefined();
  });
});
