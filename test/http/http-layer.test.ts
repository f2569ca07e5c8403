import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { givenItem, givenStore } from '../helpers/fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('security headers', () => {
  it.each(['/stores', '/stores/nope', '/nope', '/users/me'])(
    'come with every API response, errors included: %s',
    async (url) => {
      const response = await t.request({ method: 'GET', url, as: null });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
      // The headers that steer how a browser treats an HTML document are the pages' alone.
      for (const documentOnly of [
        'referrer-policy',
        'x-xss-protection',
        'x-dns-prefetch-control',
        'x-download-options',
      ]) {
        expect(response.headers[documentOnly], documentOnly).toBeUndefined();
      }
    },
  );

  it.each(['/', '/docs/'])('let the page %s load its own scripts and styles, and never be framed', async (url) => {
    const response = await t.request({ method: 'GET', url, as: null });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('CORS', () => {
  const preflight = (origin: string) => ({
    method: 'OPTIONS' as const,
    url: '/stores',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
    as: null,
  });

  it('answers an allowed origin, and never echoes one that is not on the list', async () => {
    const configured = await createTestApp({ CORS_ORIGINS: 'https://app.example.com' });
    try {
      const allowed = await configured.request(preflight('https://app.example.com'));
      expect(allowed.statusCode).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(allowed.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
      const evil = await configured.request(preflight('https://evil.example'));
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
      const read = await configured.request({
        method: 'GET',
        url: '/stores',
        headers: { origin: 'https://app.example.com' },
        as: null,
      });
      expect(read.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(String(read.headers['access-control-expose-headers'])).toContain('ETag');
    } finally {
      await configured.close();
    }
  });

  it('sends no CORS headers at all when no origin is configured', async () => {
    const response = await t.request(preflight('https://app.example.com'));
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('compression', () => {
  it('takes a gzip request body, and answers one that is not gzip 400 problem+json', async () => {
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const created = await t.request({
      method: 'POST',
      url: '/stores',
      headers,
      payload: gzipSync(JSON.stringify({ name: 'zipped' })),
    });
    expect(created.statusCode).toBe(201);
    expect(created.data).toMatchObject({ name: 'zipped' });
    const broken = await t.request({
      method: 'POST',
      url: '/stores',
      headers,
      payload: Buffer.from('{"name":"not zipped at all"}'),
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(broken.data).toMatchObject({ status: 400, detail: expect.stringMatching(/decompress/) });
  });

  it('compresses when asked, with an ETag of its own that still revalidates', async () => {
    const store = await givenStore(t);
    for (let i = 0; i < 12; i++) await givenItem(t, store.id, `item ${i}`, i);
    const plain = await t.request({ method: 'GET', url: '/items', as: null });
    const zipped = await t.request({ method: 'GET', url: '/items', headers: { 'accept-encoding': 'gzip' }, as: null });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString())).toEqual(plain.data);
    expect(zipped.headers.etag).toBe(`${String(plain.headers.etag).slice(0, -1)}-gzip"`);
    // Compression extends Vary; each field is still named once, whatever its case.
    expect(
      String(zipped.headers.vary)
        .toLowerCase()
        .split(/\s*,\s*/),
    ).toEqual(['accept-encoding']);
    const revalidated = await t.request({
      method: 'GET',
      url: '/items',
      headers: { 'accept-encoding': 'gzip', 'if-none-match': String(zipped.headers.etag) },
      as: null,
    });
    expect(revalidated.statusCode).toBe(304);
  });
});

describe('validators across encodings', () => {
  it('accepts in If-Match the ETag of a compressed copy, which names the same representation; never a weak one', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const etag = String((await t.request({ method: 'GET', url: `/items/${item.id}`, as: null })).headers.etag);
    // What a client holds after reading the item compressed (the compression test above shows the form).
    const encoded = `${etag.slice(0, -1)}-gzip"`;
    const patch = (ifMatch: string, price: number) =>
      t.request({
        method: 'PATCH',
        url: `/items/${item.id}`,
        headers: { 'content-type': 'application/merge-patch+json', 'if-match': ifMatch },
        payload: JSON.stringify({ price }),
      });
    const changed = await patch(encoded, 99);
    expect(changed.statusCode).toBe(200);
    expect((await patch(`W/${changed.headers.etag}`, 98)).statusCode).toBe(412);
    expect((await patch(encoded, 97)).statusCode).toBe(412);
  });
});
