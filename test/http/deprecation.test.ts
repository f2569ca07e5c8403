// Deprecation that clients can see, on a fixture spec (no operation of openapi.yaml is deprecated today): the real
// spec with getStore deprecated (with a sunset) and listItems' `q` parameter deprecated (without one). The generator
// reads the dates and refuses responses that do not declare the headers; a listening server sends them through the
// binding's hook, and each value matches the schema the spec declares for it in components/headers.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationFact, readOperations } from '../../scripts/codegen/read-operations.js';
import { checkBindingRules, renderBindings } from '../../scripts/codegen/render-bindings.js';
import { createAjv } from '../../src/http/ajv.js';
import { announceDeprecation } from '../../src/http/deprecation.js';
import { freePort } from '../helpers/server-process.js';
import { createTestApp } from '../helpers/test-app.js';

import { deprecatedFixture as fixture, real } from './deprecation-fixture.js';

const deprecatedOn = 1780272000; // 2026-06-01T00:00:00Z
const sunsetOn = 1811808000; // 2027-06-01T00:00:00Z

const byId = (operations: OperationFact[], id: string) =>
  operations.find((op) => op.operationId === id) as OperationFact;

describe('the generator', () => {
  it('reads deprecated operations and parameters with their dates and docs link', () => {
    const operations = readOperations(fixture(true));
    expect(byId(operations, 'getStore').deprecation).toEqual({
      operation: { at: deprecatedOn, sunset: sunsetOn },
      parameters: [],
      docs: '/docs#/Stores/getStore',
    });
    expect(byId(operations, 'listItems').deprecation).toEqual({
      operation: null,
      parameters: [{ in: 'query', name: 'q', at: Date.parse('2026-07-01') / 1000, sunset: null }],
      docs: '/docs#/Items/listItems',
    });
    expect(byId(operations, 'listStores').deprecation).toBeNull();
    expect(checkBindingRules(operations)).toEqual([]);
    expect(renderBindings(operations)).toContain(
      `deprecation: { operation: { at: ${deprecatedOn}, sunset: ${sunsetOn} }, parameters: [], docs: '/docs#/Stores/getStore' },`,
    );
  });

  it('refuses a deprecated operation whose responses do not declare the headers', () => {
    const broken = checkBindingRules(readOperations(fixture(false)));
    expect(broken).toContain('getStore 200: a deprecated operation or parameter must declare the Deprecation header');
    expect(broken).toContain('getStore 404: a deprecated operation or parameter must declare the Sunset header');
    expect(broken).toContain('listItems 200: a deprecated operation or parameter must declare the Link header');
    expect(broken.some((line) => line.startsWith('listStores'))).toBe(false);
  });

  it('refuses deprecated: true without the date it was deprecated on, and a sunset before it', () => {
    const undated = real();
    undated.paths['/stores/{storeId}'].get.deprecated = true;
    expect(() => readOperations(undated)).toThrow('getStore: deprecated: true needs x-deprecated-at');
    const early = fixture(true);
    early.paths['/stores/{storeId}'].get['x-sunset'] = '2026-01-01';
    expect(() => readOperations(early)).toThrow('getStore: x-sunset must come after x-deprecated-at');
  });
});

describe('a server answering deprecated operations', () => {
  const operations = readOperations(fixture(true));
  const headerSchemas = fixture(true).components.headers;
  const ajv = createAjv();
  let server: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    server = Fastify();
    for (const [url, id] of [
      ['/stores/:storeId', 'getStore'],
      ['/items', 'listItems'],
      ['/stores', 'listStores'],
    ] as const) {
      const { deprecation } = byId(operations, id);
      server.get(url, async (request, reply) => {
        announceDeprecation(reply, request, deprecation);
        return { ok: true };
      });
    }
    base = await server.listen({ host: '127.0.0.1', port: await freePort() });
  });
  afterAll(() => server.close());

  const valid = (name: string, value: string | null) => {
    expect(value).not.toBeNull();
    expect(ajv.validate(headerSchemas[name].schema, value), `${name}: ${value}`).toBe(true);
  };

  it('sends Deprecation, Sunset and Link on every answer of a deprecated operation', async () => {
    const response = await fetch(`${base}/stores/s1`);
    expect(response.headers.get('deprecation')).toBe(`@${deprecatedOn}`);
    expect(response.headers.get('sunset')).toBe('Tue, 01 Jun 2027 00:00:00 GMT');
    expect(response.headers.get('link')).toBe('</docs#/Stores/getStore>; rel="deprecation"; type="text/html"');
    valid('Deprecation', response.headers.get('deprecation'));
    valid('Sunset', response.headers.get('sunset'));
    valid('DeprecationLink', response.headers.get('link'));
  });

  it('sends Deprecation for a deprecated parameter only when the request uses it, without a Sunset it lacks', async () => {
    const without = await fetch(`${base}/items?limit=5`);
    expect(without.headers.get('deprecation')).toBeNull();
    expect(without.headers.get('link')).toBeNull();
    const using = await fetch(`${base}/items?q=tea`);
    expect(using.headers.get('deprecation')).toBe(`@${Date.parse('2026-07-01') / 1000}`);
    expect(using.headers.get('sunset')).toBeNull();
    expect(using.headers.get('link')).toBe('</docs#/Items/listItems>; rel="deprecation"; type="text/html"');
  });

  it('sends nothing for an operation that is not deprecated', async () => {
    const response = await fetch(`${base}/stores`);
    expect(response.headers.get('deprecation')).toBeNull();
    expect(response.headers.get('link')).toBeNull();
  });
});

describe('the API as it is', () => {
  it('deprecates nothing today, so no answer says Deprecation', async () => {
    expect(readOperations(real()).filter((op) => op.deprecation !== null)).toEqual([]);
    const t = await createTestApp();
    try {
      const response = await t.request({ method: 'GET', url: '/stores' });
      expect(response.statusCode).toBe(200);
      expect(response.headers.deprecation).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
