import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { givenItem, givenStore } from '../helpers/fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Bounds the spec gained so that every string has a pattern (OWASP API4, `npm run lint:spec`); the server
// enforces them from the spec, so each is a 400 naming the value, and nothing is written.

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const issues = (response: { data: { errors?: { location: string; pointer: string }[] } }) =>
  (response.data.errors ?? []).map((e) => `${e.location} ${e.pointer}`);

describe('strings the spec now bounds with a pattern', () => {
  it.each(['/stores', '/items', '/tags'])('refuses a control character in the q of %s', async (path) => {
    const response = await t.request({ method: 'GET', url: `${path}?q=a%07b` });
    expect(response.statusCode).toBe(400);
    expect(issues(response)).toEqual(['query /q']);
  });

  it('refuses a cursor with characters no cursor of ours has', async () => {
    const response = await t.request({ method: 'GET', url: '/items?cursor=a%20b' });
    expect(response.statusCode).toBe(400);
    expect(issues(response)).toEqual(['query /cursor']);
  });

  it('takes tabs and line breaks in a description, but no other control character', async () => {
    const store = await givenStore(t);
    const lines = await givenItem(t, store.id, 'lines', 1, 'one\n\ttwo\r\n');
    expect(lines.description).toBe('one\n\ttwo\r\n');
    const bell = await t.request({
      method: 'POST',
      url: '/items',
      payload: { storeId: store.id, name: 'bell', price: 1, description: 'ding\u0007' },
    });
    expect(bell.statusCode).toBe(400);
    expect(issues(bell)).toEqual(['body /description']);
    const listed = await t.request({ method: 'GET', url: `/items?storeId=${store.id}` });
    expect(listed.data.items.map((i: { name: string }) => i.name)).toEqual(['lines']);
  });

  it('answers 412 to an If-Match that is not an entity tag, as to any tag that is not current, and changes nothing', async () => {
    const store = await givenStore(t);
    const current = String((await t.request({ method: 'GET', url: `/stores/${store.id}` })).headers.etag);
    for (const value of ['not-quoted', '0', current.slice(1, -1), `${current.slice(0, -1)}`]) {
      const response = await t.request({
        method: 'PATCH',
        url: `/stores/${store.id}`,
        headers: { 'content-type': 'application/merge-patch+json', 'if-match': value },
        payload: JSON.stringify({ name: 'Renamed' }),
      });
      expect(response.statusCode, value).toBe(412);
    }
    const after = await t.request({ method: 'GET', url: `/stores/${store.id}` });
    expect(after.data.name).toBe(store.name);
  });

  it('ignores an If-None-Match that is not a list of entity tags: the answer is the unconditional one', async () => {
    const store = await givenStore(t);
    const current = String((await t.request({ method: 'GET', url: `/stores/${store.id}` })).headers.etag);
    for (const value of ['0', 'not-quoted', current.slice(1, -1), '"unterminated']) {
      const response = await t.request({
        method: 'GET',
        url: `/stores/${store.id}`,
        headers: { 'if-none-match': value },
      });
      expect(response.statusCode, value).toBe(200);
      expect(response.data.id).toBe(store.id);
    }
  });

  it('still takes *, weak tags and lists in If-None-Match', async () => {
    const store = await givenStore(t);
    for (const tags of ['*', 'W/"a"', '"a", W/"b" ,"c"']) {
      const response = await t.request({
        method: 'GET',
        url: `/stores/${store.id}`,
        headers: { 'if-none-match': tags },
      });
      expect(response.statusCode, tags).toBe(tags === '*' ? 304 : 200);
    }
  });

  it('refuses a refresh token with characters no token of ours has', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/auth/tokens/refresh',
      as: null,
      payload: { refreshToken: 'a b' },
    });
    expect(response.statusCode).toBe(400);
    expect(issues(response)).toEqual(['body /refreshToken']);
  });
});
