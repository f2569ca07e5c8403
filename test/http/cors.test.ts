import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../generated/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { givenFixture, type Ids, ids } from '../helpers/valid-requests.js';

const origin = 'https://app.example.com';
const routes = [...new Set(ids.map((id) => operations[id].route))];
const listOf = (header: unknown) =>
  String(header ?? '')
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');

let t: TestApp;
let fixture: Ids;
beforeAll(async () => {
  t = await createTestApp({ CORS_ORIGINS: `${origin},https://admin.example.com` });
  fixture = await givenFixture(t);
});
afterAll(async () => {
  await t.close();
});

function urlOf(route: string): string {
  return route.replace(/:(storeId|itemId|tagId|userId)/g, (_p, name: string) =>
    name === 'userId' ? fixture.user.id : fixture[name as 'storeId' | 'itemId' | 'tagId'],
  );
}

describe('a preflight from an allowed origin', () => {
  it.each(routes)('%s allows exactly the methods the path has', async (route) => {
    const methods = ids.filter((id) => operations[id].route === route).map((id) => operations[id].method);
    const expected = [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])];
    for (const method of methods) {
      const response = await t.request({
        method: 'OPTIONS',
        url: urlOf(route),
        headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'if-match' },
        as: null,
      });
      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(origin);
      expect(listOf(response.headers['access-control-allow-methods']).sort()).toEqual(
        expected.map((m) => m.toLowerCase()).sort(),
      );
      expect(Number(response.headers['access-control-max-age'])).toBeGreaterThan(0);
      expect(listOf(response.headers.vary)).toContain('origin');
    }
  });

  it('allows every request header the spec declares, the token and the request id', async () => {
    const response = await t.request({
      method: 'OPTIONS',
      url: urlOf('/items/:itemId'),
      headers: { origin, 'access-control-request-method': 'PATCH' },
      as: null,
    });
    const allowed = listOf(response.headers['access-control-allow-headers']);
    for (const name of [
      'authorization',
      'content-type',
      'if-match',
      'if-none-match',
      'idempotency-key',
      'x-request-id',
    ]) {
      expect(allowed, name).toContain(name);
    }
  });
});

describe('an answer to an allowed origin', () => {
  it('lets the page read the headers it needs', async () => {
    const response = await t.request({ method: 'GET', url: '/stores', headers: { origin }, as: null });
    const exposed = listOf(response.headers['access-control-expose-headers']);
    for (const name of [
      'etag',
      'location',
      'x-request-id',
      'retry-after',
      'www-authenticate',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
    ]) {
      expect(exposed, name).toContain(name);
    }
  });

  it('keeps Vary: Origin beside Accept-Encoding on a cacheable 200 and its 304', async () => {
    const url = urlOf('/stores/:storeId');
    const ok = await t.request({ method: 'GET', url, headers: { origin }, as: null });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(origin);
    expect(listOf(ok.headers.vary)).toEqual(expect.arrayContaining(['origin', 'accept-encoding']));
    const notModified = await t.request({
      method: 'GET',
      url,
      headers: { origin, 'if-none-match': String(ok.headers.etag) },
      as: null,
    });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.headers['access-control-allow-origin']).toBe(origin);
    expect(listOf(notModified.headers.vary)).toEqual(expect.arrayContaining(['origin', 'accept-encoding']));
  });

  it('says Vary: Origin on every answer, to other origins and errors too, and names only an allowed origin', async () => {
    for (const headers of [{ origin: 'https://evil.example' }, {}, { origin: 'https://admin.example.com' }]) {
      for (const url of ['/stores', '/items', urlOf('/tags/:tagId'), '/nothing-here']) {
        const response = await t.request({ method: 'GET', url, headers, as: null });
        expect(listOf(response.headers.vary), url).toContain('origin');
        const allowOrigin = response.headers['access-control-allow-origin'];
        expect(allowOrigin).toBe(headers.origin === 'https://admin.example.com' ? headers.origin : undefined);
      }
    }
  });
});
