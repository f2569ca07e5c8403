import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { givenStore } from '../helpers/fixtures.js';
import { snapshot } from '../helpers/snapshot.js';
import { createTestApp, type Response, type TestApp } from '../helpers/test-app.js';

// Named hostile inputs: what attackers and broken clients send. Each is refused with a problem+json 4xx and
// changes nothing, or, where it is legitimate text, is stored and returned exactly as sent and never executed.

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

function expectProblem(response: Response, status: number) {
  expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.data.status).toBe(status);
}

const postStoreRaw = (payload: string | Buffer) =>
  t.request({ method: 'POST', url: '/stores', headers: { 'content-type': 'application/json' }, payload });

describe('bodies', () => {
  it('answers 413 to a 10 MB body, and stores nothing', async () => {
    const before = await snapshot(t.db);
    const response = await postStoreRaw(JSON.stringify({ name: 'x'.repeat(10 * 1024 * 1024) }));
    expectProblem(response, 413);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it.each([
    ['arrays', (depth: number) => `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`],
    ['objects', (depth: number) => `{"name":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`],
  ])('answers 400 to JSON nested 10,000 deep in %s', async (_kind, nested) => {
    const before = await snapshot(t.db);
    expectProblem(await postStoreRaw(nested(10_000)), 400);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('answers 400 to a body that is not valid UTF-8, instead of storing replacement characters', async () => {
    const invalid = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const before = await snapshot(t.db);
    const response = await postStoreRaw(invalid);
    expectProblem(response, 400);
    expect(response.data.detail).toMatch(/UTF-8/);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it.each([
    ['2^53 + 1', '9007199254740993'],
    ['1e400 (Infinity once parsed)', '1e400'],
    ['-2^63', '-9223372036854775808'],
  ])('answers 400 to a price of %s', async (_name, number) => {
    const store = await givenStore(t);
    const before = await snapshot(t.db);
    const response = await t.request({
      method: 'POST',
      url: '/items',
      headers: { 'content-type': 'application/json' },
      payload: `{"storeId":"${store.id}","name":"big","price":${number}}`,
    });
    expectProblem(response, 400);
    expect(response.data.errors).toEqual([expect.objectContaining({ pointer: '/price' })]);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('answers 400 to a limit past 2^53', async () => {
    expectProblem(await t.request({ method: 'GET', url: '/items?limit=9007199254740993' }), 400);
  });

  it('answers 400 naming /name to a 5,000-character name', async () => {
    const response = await t.request({ method: 'POST', url: '/stores', payload: { name: 'n'.repeat(5000) } });
    expectProblem(response, 400);
    expect(response.data.errors).toContainEqual(expect.objectContaining({ location: 'body', pointer: '/name' }));
    expect(await t.db.selectFrom('stores').selectAll().execute()).toEqual([]);
  });

  it('answers 400 to a NUL byte in a name or a description, and keeps tabs and line breaks in text exactly', async () => {
    expectProblem(await t.request({ method: 'POST', url: '/stores', payload: { name: 'a\u0000b' } }), 400);
    const store = await givenStore(t);
    const item = (description: string) => ({ storeId: store.id, name: 'text', price: 1, description });
    const refused = await t.request({ method: 'POST', url: '/items', payload: item('before\u0000after') });
    expectProblem(refused, 400);
    expect(refused.data.errors).toContainEqual(expect.objectContaining({ pointer: '/description' }));
    const description = 'line one\r\n\tline two\n';
    const created = await t.request({ method: 'POST', url: '/items', payload: item(description) });
    expect(created.statusCode).toBe(201);
    const read = await t.request({ method: 'GET', url: `/items/${created.data.id}` });
    expect(read.data.description).toBe(description);
  });
});

describe('injection', () => {
  const injections = [
    "Robert'); DROP TABLE stores;--",
    "' OR '1'='1",
    '" OR ""="',
    '1; DELETE FROM items WHERE 1=1',
    '<script>alert(document.cookie)</script>',
    '<img src=x onerror=alert(1)>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection, kept as literal text on purpose.
    '{{7*7}} ${7*7} #{7*7}',
  ];

  it.each(injections)('stores %j verbatim and returns it as JSON data, never executing it', async (text) => {
    const created = await t.request({ method: 'POST', url: '/stores', payload: { name: text } });
    expect(created.statusCode).toBe(201);
    expect(created.data.name).toBe(text);
    const read = await t.request({ method: 'GET', url: `/stores/${created.data.id}` });
    expect(read.data.name).toBe(text);
    expect(read.headers['content-type']).toMatch(/^application\/json/);
    expect(read.headers['x-content-type-options']).toBe('nosniff');
    // Every table is still there and holds what it should.
    expect(await t.db.selectFrom('stores').select('name').execute()).toEqual([{ name: text }]);
    expect(await t.db.selectFrom('items').select('id').execute()).toEqual([]);
  });

  it.each(injections)('searches for %j as text, matching nothing else', async (text) => {
    await givenStore(t, 'An honest store');
    const response = await t.request({ method: 'GET', url: `/stores?q=${encodeURIComponent(text)}` });
    expect(response.statusCode).toBe(200);
    expect(response.data.stores).toEqual([]);
  });
});

describe('ids and URLs', () => {
  it.each([
    '/stores/..%2F..%2Fetc%2Fpasswd',
    // `%2e%2e` itself is resolved to `..` by every WHATWG URL client (the request becomes GET /); encoded twice:
    '/stores/%252e%252e',
    '/stores/..%5C..%5Cwindows',
    '/items/%00',
    '/users/..%2Fme',
    '/stores/..;/users',
  ])('answers a 4xx problem to the path traversal %s, and changes nothing', async (url) => {
    await givenStore(t);
    const before = await snapshot(t.db);
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await t.request({ method, url });
      expect(response.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, `${method} ${url}`).toBeLessThan(500);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await snapshot(t.db)).toEqual(before);
  });

  it.each([
    ['a long query value', `/stores?q=${'q'.repeat(9000)}`],
    ['many parameters', `/items?${Array.from({ length: 1500 }, (_, i) => `p${i}=1`).join('&')}`],
    ['a long path', `/stores/${'s'.repeat(9000)}`],
  ])('answers a 4xx problem to a URL over 8 KB (%s)', async (_name, url) => {
    expect(url.length).toBeGreaterThan(8192);
    const response = await t.request({ method: 'GET', url });
    expect([400, 414]).toContain(response.statusCode);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
