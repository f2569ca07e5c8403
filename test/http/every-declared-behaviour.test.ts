import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OperationId, operations } from '../../generated/operations.js';
import { loadSpec } from '../../src/http/openapi-spec.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { build, givenFixture, type Ids, ids } from '../helpers/valid-requests.js';

// Each behaviour below is tested on every operation whose spec declares it, read from the spec and the
// generated table, so an operation added later is covered without touching this file.
const spec = await loadSpec();
const takesHeader = (id: OperationId, name: string) =>
  (spec.backend.getOperation(id)?.parameters ?? []).some((p) => 'in' in p && p.in === 'header' && p.name === name);
const declares = (id: OperationId, status: number) => status in operations[id].responses;

const revalidated = ids.filter((id) => takesHeader(id, 'If-None-Match'));
const guarded = ids.filter((id) => takesHeader(id, 'If-Match'));
const idempotent = ids.filter((id) => takesHeader(id, 'Idempotency-Key'));
const limited = ids.filter((id) => operations[id].rateLimit !== null);

let t: TestApp;
let fixture: Ids;
beforeEach(async () => {
  t = await createTestApp();
  fixture = await givenFixture(t);
});
afterEach(async () => {
  await t.close();
});

async function snapshot(app: TestApp) {
  const tables = ['users', 'stores', 'items', 'tags', 'item_tags', 'refresh_tokens', 'revoked_access_tokens'] as const;
  return Promise.all(tables.map((table) => app.db.selectFrom(table).selectAll().execute()));
}

/** The ETag of the representation a change on `id` is about: the GET on the same path. */
async function currentTag(app: TestApp, id: OperationId, on: Ids): Promise<string> {
  const reader = ids.find(
    (other) => operations[other].route === operations[id].route && operations[other].method === 'GET',
  );
  if (!reader) throw new Error(`${id} has no GET on its path`);
  const response = await app.request(build(reader, on));
  return String(response.headers.etag);
}

describe('unknown ids', () => {
  const withPathIds = ids.filter((id) => operations[id].route.includes(':'));

  it.each(withPathIds)('%s answers 404 when its path names nothing, and changes nothing', async (id) => {
    // As an admin: for accounts, anyone else gets 403 whether or not the account exists.
    await t.db.updateTable('users').set({ role: 'admin' }).where('id', '=', t.user.id).execute();
    expect(declares(id, 404)).toBe(true);
    const missing = '01936d3e-0000-7000-8000-000000000000';
    const before = await snapshot(t);
    const response = await t.request(
      build(id, { ...fixture, storeId: missing, itemId: missing, tagId: missing, user: { ...t.user, id: missing } }),
    );
    expect(response.statusCode).toBe(404);
    expect(response.data).toMatchObject({ status: 404, type: '/problems/not-found' });
    expect(await snapshot(t)).toEqual(before);
  });
});

describe('If-None-Match', () => {
  it('is declared with a 304 wherever it is taken', () => {
    expect(revalidated.length).toBeGreaterThan(5);
    for (const id of revalidated) expect(declares(id, 304), id).toBe(true);
  });

  it.each(revalidated)('%s answers 304 with no body to its current ETag', async (id) => {
    const first = await t.request(build(id, fixture));
    expect(first.statusCode).toBe(200);
    const again = await t.request(build(id, fixture, { headers: { 'if-none-match': String(first.headers.etag) } }));
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
  });
});

describe('If-Match', () => {
  it.each(guarded)(
    '%s answers 412 to a stale tag and changes nothing, and goes ahead with the current one',
    async (id) => {
      const request = build(id, fixture);
      const before = await snapshot(t);
      const stale = await t.request({ ...request, headers: { ...request.headers, 'if-match': '"stale"' } });
      expect(stale.statusCode).toBe(412);
      expect(await snapshot(t)).toEqual(before);
      const current = await t.request({
        ...request,
        headers: { ...request.headers, 'if-match': await currentTag(t, id, fixture) },
      });
      expect(current.statusCode).toBeLessThan(300);
    },
  );

  it.each(guarded)('%s answers 428 without If-Match when REQUIRE_IF_MATCH is on, and changes nothing', async (id) => {
    const strict = await createTestApp({ REQUIRE_IF_MATCH: 'true' });
    try {
      const on = await givenFixture(strict);
      const before = await snapshot(strict);
      const response = await strict.request(build(id, on));
      expect(response.statusCode).toBe(428);
      expect(await snapshot(strict)).toEqual(before);
    } finally {
      await strict.close();
    }
  });
});

describe('Idempotency-Key', () => {
  const otherBody = (payload: Record<string, unknown>) =>
    'name' in payload ? { ...payload, name: `${payload.name} 2` } : { ...payload, email: `other.${payload.email}` };

  it.each(idempotent)(
    '%s replays its first answer to a retry and creates nothing more; another body is 422',
    async (id) => {
      const request = build(id, fixture, {
        headers: { ...build(id, fixture).headers, 'idempotency-key': `"${id}-1"` },
      });
      const first = await t.request(request);
      expect(first.statusCode).toBe(201);
      const after = await snapshot(t);
      const retry = await t.request(request);
      expect(retry.statusCode).toBe(201);
      expect(retry.body).toBe(first.body);
      expect(retry.headers.location).toBe(first.headers.location);
      const other = await t.request({
        ...request,
        payload: JSON.stringify(otherBody(JSON.parse(String(request.payload)))),
      });
      expect(other.statusCode).toBe(422);
      expect(await snapshot(t)).toEqual(after);
    },
  );
});

describe('rate limits', () => {
  it.each(limited)('%s answers the request past its limit with 429 and Retry-After', async (id) => {
    const max = operations[id].rateLimit?.max ?? 0;
    const from = { ...build(id, fixture), remoteAddress: '10.20.30.40', as: null };
    for (let i = 0; i < max; i++) expect((await t.request(from)).statusCode, `request ${i + 1}`).not.toBe(429);
    const over = await t.request(from);
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(0);
    expect(over.data).toMatchObject({ status: 429, type: '/problems/rate-limited' });
  });
});
