import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationId, operations } from '../../generated/operations.js';
import { loadConfig } from '../../src/config.js';
import { loadSpec } from '../../src/http/openapi-spec.js';
import { compileResponseContract } from '../../src/http/response-contract.js';
import { buildMockApp } from '../../src/mock/mock-app.js';

// The mock server answers every operation from openapi.yaml alone. Each request here is made of the spec's own
// examples (path ids, request bodies, the example access token), and each answer is checked against the spec
// twice: by the app itself (strict) and by the same contract checker called here on what arrived.

const spec = await loadSpec();
const check = compileResponseContract(spec.backend);
type SignedIn = { content: { 'application/json': { examples: Record<string, { value: { accessToken: string } }> } } };
const document = spec.document as {
  paths: Record<
    string,
    Record<string, { operationId?: string; requestBody?: unknown; responses?: Record<string, SignedIn> }>
  >;
  components: { schemas: { Id: { examples: string[] } } };
};
const exampleId = document.components.schemas.Id.examples[0];
// The access token of the sign-in answer's example.
const signedIn = document.paths['/auth/tokens']?.post?.responses?.['200']?.content['application/json'].examples;
const exampleToken = Object.values(signedIn ?? {})[0]?.value.accessToken;
const ids = Object.keys(operations) as OperationId[];

let app: Awaited<ReturnType<typeof buildMockApp>>;
const logs: Record<string, unknown>[] = [];
beforeAll(async () => {
  const config = loadConfig({
    DATABASE_URL: ':memory:',
    RESPONSE_VALIDATION: 'strict',
    PASSWORD_HASH_COST: '10',
    // The origin of the spec's examples, and one more to show links follow the Host.
    ALLOWED_HOSTS: 'localhost,mock.test',
    // A test worker's event loop is busy by design: no load shedding here (it is tested in test/reliability/).
    OVERLOAD_MAX_EVENT_LOOP_DELAY: '0',
  });
  app = await buildMockApp(config, { write: (line) => logs.push(JSON.parse(line)) });
});
afterAll(async () => {
  await app.close();
  const breaches = logs.filter((l) => l.msg === 'response breaks the OpenAPI contract');
  expect(breaches).toEqual([]);
});

/** The first example of the operation's request body, as the spec gives it. */
function requestExample(id: OperationId): unknown {
  const operation = operations[id];
  const declared = document.paths[operation.path]?.[operation.method.toLowerCase()] as
    | { requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> } }
    | undefined;
  const media = declared?.requestBody?.content[operation.requestBody?.contentType ?? ''];
  return Object.values(media?.examples ?? {})[0]?.value;
}

function exampleRequest(id: OperationId, headers: Record<string, string> = {}) {
  const operation = operations[id];
  const url = operation.path.replace(/\{[^}]+\}/g, String(exampleId));
  const body = operation.requestBody ? requestExample(id) : undefined;
  return app.inject({
    method: operation.method,
    url,
    headers: {
      // The origin the spec's examples are written for, so that links in the answers equal the examples.
      host: 'localhost:3000',
      ...(operation.secured && { authorization: `Bearer ${exampleToken}` }),
      ...(operation.requestBody && { 'content-type': operation.requestBody.contentType }),
      ...headers,
    },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
}

const successOf = (id: OperationId) =>
  Math.min(
    ...Object.keys(operations[id].responses)
      .map(Number)
      .filter((s) => s < 300),
  );

describe('the mock server', () => {
  it.each(ids)('answers %s from the spec alone, as the spec declares', async (id) => {
    const operation = operations[id];
    if (operation.requestBody) expect(requestExample(id), 'the spec has a request example').toBeDefined();
    const response = await exampleRequest(id);
    expect(response.statusCode, response.body).toBe(successOf(id));
    expect(
      check({ operationId: id, status: response.statusCode, headers: response.headers, payload: response.body }),
    ).toEqual([]);
    if (response.statusCode !== 204) {
      const { mock } = spec.backend.mockResponseForOperation(id, { code: response.statusCode });
      expect(response.json()).toEqual(mock);
    }
  });

  it('puts Location on its own origin, at the collection path plus the id of the example', async () => {
    const response = await exampleRequest('createItem', { host: 'mock.test:4010' });
    expect(response.statusCode).toBe(201);
    expect(response.headers.location).toBe(`http://mock.test:4010/items/${response.json().id}`);
  });

  it('validates requests as the real API does: 400 naming the value, 415, 406', async () => {
    const invalid = await app.inject({
      method: 'POST',
      url: '/items',
      headers: { authorization: `Bearer ${exampleToken}` },
      payload: { storeId: exampleId, name: 'my item', price: 15.999 },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors).toEqual([expect.objectContaining({ location: 'body', pointer: '/price' })]);
    const text = await app.inject({
      method: 'POST',
      url: '/stores',
      headers: { authorization: `Bearer ${exampleToken}`, 'content-type': 'text/plain' },
      payload: 'My Store',
    });
    expect(text.statusCode).toBe(415);
    const xml = await exampleRequest('listStores', { accept: 'application/xml' });
    expect(xml.statusCode).toBe(406);
    const limit = await app.inject({ method: 'GET', url: '/items?limit=101' });
    expect(limit.statusCode).toBe(400);
  });

  it('asks for a token where the spec does, with the same challenge as the real API', async () => {
    const response = await app.inject({ method: 'POST', url: '/stores', payload: { name: 'My Store' } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="stores-api"');
    const inUrl = await app.inject({ method: 'GET', url: `/users/me?access_token=${exampleToken}` });
    expect(inUrl.statusCode).toBe(401);
  });

  it('honours If-Match and If-None-Match against the ETags it hands out', async () => {
    const read = await exampleRequest('getStore');
    const etag = String(read.headers.etag);
    expect((await exampleRequest('getStore', { 'if-none-match': etag })).statusCode).toBe(304);
    expect((await exampleRequest('updateStore', { 'if-match': '"stale"' })).statusCode).toBe(412);
    expect((await exampleRequest('updateStore', { 'if-match': etag })).statusCode).toBe(200);
  });
});
