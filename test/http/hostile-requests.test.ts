import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Requests that are malformed below the level of the spec: the Host, the URL itself, the sheer number of
// mistakes. Each must get a problem+json 4xx, and nothing may be written.

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const storeCount = async () => (await t.db.selectFrom('stores').select('id').execute()).length;

describe('the Host header', () => {
  it.each(['a b', 'localhost:99999', 'user@evil.example', 'evil.example/path'])(
    'answers 400 to Host %j before anything is written',
    async (host) => {
      const response = await t.request({ method: 'POST', url: '/stores', headers: { host }, payload: { name: 'Q' } });
      expect(response.statusCode).toBe(400);
      expect(response.data.detail).toBe('The Host header is not a valid host.');
      expect(await storeCount()).toBe(0);
    },
  );

  it('builds Location from PUBLIC_URL when it is set, whatever the Host says', async () => {
    const configured = await createTestApp({ PUBLIC_URL: 'https://api.example.test' });
    try {
      const response = await configured.request({
        method: 'POST',
        url: '/stores',
        headers: { host: 'evil.example' },
        payload: { name: 'Q' },
      });
      expect(response.statusCode).toBe(201);
      expect(response.headers.location).toBe(`https://api.example.test/stores/${response.data.id}`);
    } finally {
      await configured.close();
    }
  });
});

describe('the URL', () => {
  it('answers 400 problem+json to a URL that is not valid percent-encoding', async () => {
    const response = await t.request({ method: 'GET', url: '/stores/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.data.status).toBe(400);
  });

  it('answers the declared 400, naming the parameter, to an id longer than any id', async () => {
    for (const length of [65, 101, 2048]) {
      const response = await t.request({ method: 'GET', url: `/items/${'a'.repeat(length)}` });
      expect(response.statusCode, String(length)).toBe(400);
      expect(response.data.errors).toContainEqual(expect.objectContaining({ location: 'path', pointer: '/itemId' }));
    }
  });

  it('answers 414 problem+json, with a request id, to a path segment longer than any URL this API makes', async () => {
    const response = await t.request({ method: 'GET', url: `/items/${'a'.repeat(2049)}` });
    expect(response.statusCode).toBe(414);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['x-request-id']).toBe(response.data.requestId);
    expect(response.data).toMatchObject({ status: 414 });
  });

  it('answers 404 to POST on a trailing slash, as to GET', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const response = await t.request({ method, url: '/stores/' });
      expect(response.statusCode, method).toBe(404);
    }
  });
});

describe('many mistakes at once', () => {
  it('lists the first 100 of 150 unknown members, and says how many there were', async () => {
    const payload = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`m${i}`, i]));
    const response = await t.request({ method: 'POST', url: '/stores', payload: { name: 'Q', ...payload } });
    expect(response.statusCode).toBe(400);
    expect(response.data.errors).toHaveLength(100);
    expect(response.data.detail).toBe('The request has 150 invalid values. The first 100 are listed.');
    expect(await storeCount()).toBe(0);
  });

  it('shortens a pointer to a 1500-character member name', async () => {
    const response = await t.request({ method: 'POST', url: '/stores', payload: { name: 'Q', ['k'.repeat(1500)]: 1 } });
    expect(response.statusCode).toBe(400);
    expect(response.data.errors[0].pointer.length).toBeLessThanOrEqual(1024);
  });
});

describe('behind a reverse proxy', () => {
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.test' };

  it('builds Location and next from the forwarded scheme and host when the proxy is trusted', async () => {
    const proxied = await createTestApp({ TRUST_PROXY: '127.0.0.1', ALLOWED_HOSTS: 'api.example.test,localhost' });
    try {
      const created = await proxied.request({
        method: 'POST',
        url: '/stores',
        headers: forwarded,
        payload: { name: 'A' },
      });
      expect(created.headers.location).toBe(`https://api.example.test/stores/${created.data.id}`);
      await proxied.request({ method: 'POST', url: '/stores', payload: { name: 'B' } });
      const page = await proxied.request({ method: 'GET', url: '/stores?limit=1', headers: forwarded, as: null });
      expect(page.data.next).toMatch(/^https:\/\/api\.example\.test\/stores\?/);
    } finally {
      await proxied.close();
    }
  });

  it('ignores forwarded headers from a peer it does not trust', async () => {
    const created = await t.request({ method: 'POST', url: '/stores', headers: forwarded, payload: { name: 'A' } });
    expect(created.headers.location).toBe(`http://localhost/stores/${created.data.id}`);
    const elsewhere = await createTestApp({ TRUST_PROXY: '10.0.0.1' });
    try {
      const again = await elsewhere.request({
        method: 'POST',
        url: '/stores',
        headers: forwarded,
        payload: { name: 'A' },
      });
      expect(again.headers.location).toBe(`http://localhost/stores/${again.data.id}`);
    } finally {
      await elsewhere.close();
    }
  });
});
