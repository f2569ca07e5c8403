import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OperationId, operations } from '../../generated/operations.js';
import { isSecured } from '../../scripts/codegen/render-bindings.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { build, givenFixture, type Ids, ids } from '../helpers/valid-requests.js';

// Accept is weighed only against what a success would carry (openapi.yaml, "Content negotiation").
const successStatuses = (id: OperationId) =>
  Object.entries(operations[id].responses as Record<number, { contentType: string | null }>).filter(
    ([status]) => Number(status) < 300,
  );
const withContent = ids.filter((id) => successStatuses(id).some(([, r]) => r.contentType !== null));
const withoutContent = ids.filter((id) => !withContent.includes(id));
const secured = withContent.filter((id) => isSecured({ security: operations[id].security as never } as never));
const owned = withContent.filter((id) => operations[id].ownership !== null);
const byId = withContent.filter((id) => operations[id].route.includes(':'));
const unsafe = withContent.filter((id) => operations[id].method !== 'GET');

const refusing = ['application/xml', 'text/html', 'application/json;q=0', 'application/json;q=0, */*'];
const welcoming = [
  'application/json',
  'application/json; charset=utf-8',
  'text/html, application/*;q=0.5',
  '*/*;q=0.1',
  'application/vnd.example+json, application/json;q=0.9',
];
const missing = '01900000-0000-7000-8000-000000000000';

let t: TestApp;
let fixture: Ids;
beforeEach(async () => {
  t = await createTestApp();
  fixture = await givenFixture(t);
});
afterEach(async () => {
  await t.close();
});

function withAccept(id: OperationId, accept: string) {
  const request = build(id, fixture);
  return { ...request, headers: { ...request.headers, accept } };
}

const success = (id: OperationId) => successStatuses(id).map(([status]) => Number(status));

describe('an operation whose success carries JSON', () => {
  it.each(withContent)(
    '%s answers 406 to an Accept that refuses JSON, and succeeds for one that allows it',
    async (id) => {
      for (const accept of refusing) {
        const response = await t.request(withAccept(id, accept));
        expect(response.statusCode, accept).toBe(406);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.data.type).toBe('/problems/not-acceptable');
      }
      for (const accept of welcoming) {
        const fresh = await t.request(withAccept(id, accept));
        expect(success(id), accept).toContain(fresh.statusCode);
        // A change that succeeded once may not succeed twice (a unique name, a spent refresh token): the first
        // welcoming Accept proves the success, the rest must not be 406.
        if (!success(id).includes(fresh.statusCode)) break;
        if (operations[id].method !== 'GET') break;
      }
    },
  );

  it.each(unsafe)('%s changes nothing when it answers 406: the same request then succeeds', async (id) => {
    expect((await t.request(withAccept(id, 'application/xml'))).statusCode).toBe(406);
    const response = await t.request(build(id, fixture));
    expect(success(id)).toContain(response.statusCode);
  });

  it('does not create a store it answered 406 for', async () => {
    const refused = await t.request({
      method: 'POST',
      url: '/stores',
      headers: { accept: 'text/html' },
      payload: { name: 'Never made' },
    });
    expect(refused.statusCode).toBe(406);
    const stores = await t.request({ method: 'GET', url: '/stores?q=Never%20made' });
    expect(stores.data.stores).toEqual([]);
  });

  it.each(secured)('%s answers 401, not 406, to a request without a token', async (id) => {
    const response = await t.request({ ...withAccept(id, 'application/xml'), as: null });
    expect(response.statusCode).toBe(401);
    expect(response.data.status).toBe(401);
  });

  it.each(owned)("%s answers 403, not 406, to another user's request", async (id) => {
    const other = await t.signUp('other@example.com');
    const response = await t.request({ ...withAccept(id, 'application/xml'), as: other });
    expect(response.statusCode).toBe(403);
  });

  it.each(byId)('%s answers 404, not 406, for an id that names nothing', async (id) => {
    const request = withAccept(id, 'application/xml');
    const url = String(request.url).replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, missing);
    const response = await t.request({ ...request, url });
    expect([403, 404]).toContain(response.statusCode);
    if (!operations[id].ownership && id !== 'getUser') expect(response.statusCode).toBe(404);
  });
});

describe('an operation whose success has no content', () => {
  const cases = withoutContent.flatMap((id) => [...refusing, ...welcoming].map((accept) => [id, accept] as const));

  it.each(cases)('%s succeeds whatever Accept says (%s)', async (id, accept) => {
    const response = await t.request(withAccept(id, accept));
    expect(success(id)).toContain(response.statusCode);
  });

  it.each(withoutContent)('%s answers its errors as problem+json to Accept: application/json', async (id) => {
    const response = await t.request({ ...withAccept(id, 'application/json'), as: null });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.data).toMatchObject({ status: 401, type: '/problems/unauthorized' });
  });
});
