import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operations } from '../../generated/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { build, givenFixture, type Ids, ids } from '../helpers/valid-requests.js';

const withBody = ids.filter((id) => operations[id].requestBody !== null);
// Health checks answer database failures themselves (liveness never asks it, readiness says 503): test/health.
const usesDatabase = ids.filter((id) => id !== 'checkLiveness' && id !== 'checkReadiness');

let t: TestApp;
let fixture: Ids;
beforeEach(async () => {
  t = await createTestApp();
  fixture = await givenFixture(t);
});
afterEach(async () => {
  await t.close();
});

describe('every operation', () => {
  it.each(ids)('%s answers its declared success status to a valid request', async (id) => {
    const response = await t.request(build(id, fixture));
    const success = Object.keys(operations[id].responses)
      .map(Number)
      .filter((s) => s < 300);
    expect(success).toContain(response.statusCode);
  });

  it.each(ids)('%s answers 400 naming an unknown query parameter', async (id) => {
    const request = build(id, fixture);
    const response = await t.request({ ...request, url: `${request.url}?colour=red` });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.data.errors).toContainEqual(expect.objectContaining({ location: 'query', pointer: '/colour' }));
  });

  it.each(usesDatabase)(
    '%s answers 500 with nothing internal when the database fails, and logs it with the request id',
    async (id) => {
      const request = build(id, fixture);
      const tables = ['item_tags', 'items', 'tags', 'stores', 'refresh_tokens', 'revoked_access_tokens', 'users'];
      for (const table of tables) await sql`drop table ${sql.table(table)}`.execute(t.db);
      const response = await t.request(request);
      expect(response.statusCode).toBe(500);
      expect(response.data).toMatchObject({ status: 500, type: '/problems/internal' });
      expect(response.body).not.toMatch(/select|insert|update|delete|table|sqlite|error:|at \//i);
      const logged = t.logs.find((l) => l.level === 50 && l.reqId === response.data.requestId);
      expect(logged).toBeDefined();
    },
  );
});

describe('every operation with a body', () => {
  it.each(withBody)('%s answers 415 to a body of another media type', async (id) => {
    const declared = operations[id].requestBody?.contentType;
    const other = declared === 'application/json' ? 'application/merge-patch+json' : 'application/json';
    for (const type of [other, 'text/plain', 'application/xml']) {
      const response = await t.request(build(id, fixture, { headers: { 'content-type': type } }));
      expect(response.statusCode, type).toBe(415);
      expect(response.data.status).toBe(415);
    }
  });

  it.each(withBody)('%s answers 413 to a body over the limit', async (id) => {
    const response = await t.request(build(id, fixture, { payload: JSON.stringify({ name: 'x'.repeat(70_000) }) }));
    expect(response.statusCode).toBe(413);
    expect(response.data.type).toBe('/problems/payload-too-large');
  });

  it.each(withBody)('%s answers 400 to malformed JSON, to no body, and to a body that is not an object', async (id) => {
    for (const payload of ['{"name":', '', 'null', '[]', '"x"']) {
      const response = await t.request(build(id, fixture, { payload }));
      expect(response.statusCode, payload).toBe(400);
      expect(response.data.status).toBe(400);
    }
  });
});

describe('every operation without a body', () => {
  const withoutBody = ids.filter((id) => operations[id].requestBody === null);

  it.each(withoutBody)('%s answers 400 to a body, before reading it (never 413 or 415)', async (id) => {
    const bodies: [string, string][] = [
      ['application/json', '{"name":"x"}'],
      ['text/plain', 'x'.repeat(70_000)],
    ];
    for (const [type, payload] of bodies) {
      const response = await t.request(build(id, fixture, { headers: { 'content-type': type }, payload }));
      expect(response.statusCode, type).toBe(400);
      expect(response.data.detail).toBe('This operation takes no request body.');
    }
  });

  const typesWithoutBody = withoutBody.flatMap((id) =>
    ['multipart/form-data', 'application/json'].map((type) => [id, type] as const),
  );
  it.each(typesWithoutBody)('%s ignores a Content-Type of %s that comes without a body', async (id, type) => {
    const request = build(id, fixture);
    const response = await t.request({ ...request, headers: { ...request.headers, 'content-type': type } });
    const success = Object.keys(operations[id].responses)
      .map(Number)
      .filter((s) => s < 300);
    expect(success).toContain(response.statusCode);
  });
});

describe('paths and methods', () => {
  const paths = [...new Set(ids.map((id) => operations[id].route))];

  it.each(paths)('%s answers 405 with Allow to each method it does not take, and OPTIONS with Allow', async (route) => {
    const url = route.replace(/:(storeId|itemId|tagId|userId)/g, (_p, name: string) =>
      name === 'userId' ? fixture.user.id : fixture[name as 'storeId' | 'itemId' | 'tagId'],
    );
    const declared = ids.filter((id) => operations[id].route === route).map((id) => operations[id].method);
    const allow = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter(
      (m) => declared.includes(m as never) || (m === 'HEAD' && declared.includes('GET')) || m === 'OPTIONS',
    );
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'QUERY'] as const) {
      if (allow.includes(method)) continue;
      const response = await t.request({ method, url });
      expect(response.statusCode, method).toBe(405);
      expect(response.headers.allow).toBe(allow.join(', '));
      expect(response.data.status).toBe(405);
    }
    const options = await t.request({ method: 'OPTIONS', url });
    expect(options.statusCode).toBe(204);
    expect(options.headers.allow).toBe(allow.join(', '));
  });

  it('answers 404 problem to unknown paths, a trailing slash and other letter case', async () => {
    for (const url of ['/nope', '/stores/', '/STORES', `/items/${fixture.itemId}/tags`, '/users/']) {
      const response = await t.request({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.data).toMatchObject({ status: 404, type: '/problems/not-found' });
    }
  });
});
