import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpec, specPath } from '../../src/http/openapi-spec.js';
import { compileResponseContract, type SentResponse } from '../../src/http/response-contract.js';

const store = {
  id: '01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f',
  name: 'My Store',
  ownerId: null,
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:00.000Z',
};
const notFound = { type: '/problems/not-found', title: 'Not Found', status: 404, detail: 'No store has that id.' };
// Headers every response of an operation declares: its request id and its cache policy.
const common = { 'x-request-id': 'req-1', 'cache-control': 'no-store' };
const json = { 'content-type': 'application/json; charset=utf-8', ...common };
const problemJson = { 'content-type': 'application/problem+json; charset=utf-8', ...common };
const read = { ...json, 'cache-control': 'public, no-cache', etag: '"abc"' };
const created = { ...json, etag: '"abc"', location: `http://localhost/stores/${store.id}` };
const unchanged = { ...common, 'cache-control': 'public, no-cache', etag: '"abc"' };

// The checker is what makes "every response is checked against the spec" true, so it is tested on its own:
// each row is a response and the breaches it must report (none for a response that keeps the contract).
const cases: [string, SentResponse, RegExp[]][] = [
  ['a declared 200 with a valid body', sent('getStore', 200, read, store), []],
  [
    'a 200 with another cache policy than the spec pins',
    sent('getStore', 200, { ...read, 'cache-control': 'no-store' }, store),
    [/header cache-control/],
  ],
  [
    'a 200 without its ETag',
    sent('getStore', 200, { ...read, etag: undefined }, store),
    [/lacks required header etag/],
  ],
  [
    'a 200 without its request id',
    sent('getStore', 200, { ...read, 'x-request-id': undefined }, store),
    [/lacks required header x-request-id/],
  ],
  ['a status the operation does not declare', sent('getStore', 418, read, store), [/does not declare status 418/]],
  [
    'a 201 without its required Location',
    sent('createStore', 201, { ...created, location: undefined }, store),
    [/lacks required header location/],
  ],
  ['a 201 with Location', sent('createStore', 201, created, store), []],
  [
    'a header the spec does not declare',
    sent('getStore', 200, { ...read, 'x-powered-by': 'me' }, store),
    [/x-powered-by/],
  ],
  [
    'a Location that is not a URI',
    sent('createStore', 201, { ...created, location: 'not a uri' }, store),
    [/header location/],
  ],
  // The spec's objects are open for clients, but the server sends no member they do not declare: a field a handler
  // left on a row by mistake fails every test that receives it.
  [
    'a body with a member its schema does not declare',
    sent('getStore', 200, read, { ...store, passwordHash: 'scrypt$...' }),
    [/must NOT have unevaluated properties.*passwordHash/],
  ],
  [
    'a member nobody declared, deep in a page',
    sent('listStores', 200, { ...read, etag: '"abc"' }, { stores: [store, { ...store, internal: 1 }] }),
    [/\/stores\/1 must NOT have unevaluated properties.*internal/],
  ],
  [
    'a problem with a member it does not declare',
    sent('getStore', 404, problemJson, { ...notFound, stack: 'Error: at …' }),
    [/must NOT have unevaluated properties.*stack/],
  ],
  ['a body missing a required member', sent('getStore', 200, read, { ...store, name: undefined }), [/name/]],
  ['a body with the wrong type', sent('getStore', 200, read, { ...store, id: 7 }), [/\/id must be string/]],
  [
    'a JSON body sent as problem+json',
    sent('getStore', 200, { ...read, 'content-type': 'application/problem+json' }, store),
    [/Content-Type application\/problem\+json/],
  ],
  ['a problem sent as plain JSON', sent('getStore', 404, json, notFound), [/the spec says application\/problem\+json/]],
  [
    'a problem whose status differs',
    sent('getStore', 404, problemJson, { ...notFound, status: 400 }),
    [/problem body has status 400/],
  ],
  ['a problem without detail', sent('getStore', 404, problemJson, { ...notFound, detail: undefined }), [/detail/]],
  ['a body on a 204', sent('deleteStore', 204, json, store), [/must have no body/]],
  ['an empty 204', sent('deleteStore', 204, common, undefined), []],
  ['a 304 with its validators and no body', sent('getStore', 304, unchanged, undefined), []],
  ['a body that is not JSON', { operationId: 'getStore', status: 200, headers: read, payload: '<html>' }, [/not JSON/]],
  ['an error outside the operations that is problem+json', sent(undefined, 404, problemJson, notFound), []],
  [
    'an error outside the operations that is not',
    sent(undefined, 404, json, { error: 'nope' }),
    [/application\/problem\+json/],
  ],
  ['a success outside the operations (docs)', sent(undefined, 200, { 'content-type': 'text/html' }, undefined), []],
];

function sent(
  operationId: string | undefined,
  status: number,
  headers: Record<string, string | undefined>,
  body: unknown,
): SentResponse {
  const present = Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined));
  return { operationId, status, headers: present, payload: body === undefined ? undefined : JSON.stringify(body) };
}

let check: (response: SentResponse) => string[];
beforeAll(async () => {
  check = compileResponseContract((await loadSpec()).backend);
});

describe('response contract', () => {
  it.each(cases)('%s', (_name, response, expected) => {
    const broken = check(response);
    expect(broken).toHaveLength(expected.length);
    expected.forEach((pattern, i) => {
      expect(broken[i]).toMatch(pattern);
    });
  });

  // Compiling it takes about 280 ms (the closed schemas), and a test process builds an app per test: compiled
  // once per app, it doubled CI's time. Every app built on one loaded spec gets the one compiled check.
  it('is compiled once per loaded spec and shared by every app built on it', async () => {
    const { backend } = await loadSpec();
    expect(compileResponseContract(backend)).toBe(check);
  });
});

describe('the spec as served', () => {
  it('is the same document at /openapi.json, /openapi.yaml and behind /docs, all linked from /', async () => {
    const { createTestApp } = await import('../helpers/test-app.js');
    const t = await createTestApp();
    try {
      const spec = await loadSpec();
      const asJson = await t.request({ method: 'GET', url: '/openapi.json' });
      expect(asJson.statusCode).toBe(200);
      expect(asJson.data).toEqual(spec.document);
      expect(asJson.data.openapi).toBe('3.1.0');
      const asYaml = await t.request({ method: 'GET', url: '/openapi.yaml' });
      expect(asYaml.headers['content-type']).toMatch(/^application\/yaml/);
      expect(asYaml.body).toBe(readFileSync(specPath, 'utf8'));
      const landing = await t.request({ method: 'GET', url: '/' });
      expect(landing.headers['content-type']).toMatch(/^text\/html/);
      for (const link of ['/docs', '/openapi.json', '/openapi.yaml', '/healthz', '/readyz']) {
        expect(landing.body).toContain(`href="${link}"`);
      }
      const docs = await t.request({ method: 'GET', url: '/docs/' });
      expect(docs.statusCode).toBe(200);
      expect(docs.headers['content-type']).toMatch(/^text\/html/);
      const docsSpec = await t.request({ method: 'GET', url: '/docs/json' });
      expect(docsSpec.data.info.title).toBe('Stores API');
      expect(Object.keys(docsSpec.data.paths)).toEqual(Object.keys(spec.document.paths as object));
    } finally {
      await t.close();
    }
  });
});
