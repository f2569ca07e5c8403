// The binding sends the deprecation headers, end to end through the real app: openapi.yaml is swapped for a
// fixture with getStore deprecated (the headers declared on its responses, so the strict response check passes
// them), and the operation table carries what the generator reads from that fixture.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';

const fixture = vi.hoisted(() => ({ yaml: '' }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((path: Parameters<typeof fs.readFileSync>[0], ...rest: unknown[]) =>
    String(path).endsWith('/openapi.yaml') && fixture.yaml !== ''
      ? fixture.yaml
      : (fs.readFileSync as (...args: unknown[]) => unknown)(path, ...rest)) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});

vi.mock('../../generated/operations.js', async (importOriginal) => {
  const generated = await importOriginal<typeof import('../../generated/operations.js')>();
  const { readOperations } = await import('../../scripts/codegen/read-operations.js');
  const { deprecatedFixture } = await import('./deprecation-fixture.js');
  const doc = deprecatedFixture(true);
  fixture.yaml = stringify(doc);
  const facts = readOperations(doc);
  const operations = Object.fromEntries(
    Object.entries(generated.operations).map(([id, operation]) => {
      const fact = facts.find((f) => f.operationId === id);
      const responses = Object.fromEntries(
        Object.entries(operation.responses).map(([status, response]) => {
          const declared = fact?.responses.find((r) => r.status === Number(status))?.headers ?? [];
          const extra = declared
            .filter((h) => ['Deprecation', 'Sunset', 'Link'].includes(h.name))
            .map((h) => ({ name: h.name, required: h.required, owner: 'binding' as const }));
          return [status, { ...response, headers: [...response.headers, ...extra] }];
        }),
      );
      return [id, { ...operation, responses, deprecation: fact?.deprecation ?? null }];
    }),
  );
  return { ...generated, operations };
});

const { createTestApp } = await import('../helpers/test-app.js');
const { givenStore } = await import('../helpers/fixtures.js');
type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('the binding, on a spec with getStore deprecated', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers the deprecated operation with Deprecation, Sunset and Link, success or not', async () => {
    const store = await givenStore(t);
    for (const url of [`/stores/${store.id}`, '/stores/01936d3e-0000-7000-8000-000000000000']) {
      const response = await t.request({ method: 'GET', url });
      expect(response.statusCode).toBe(url.endsWith(store.id) ? 200 : 404);
      expect(response.headers.deprecation).toBe('@1780272000');
      expect(response.headers.sunset).toBe('Tue, 01 Jun 2027 00:00:00 GMT');
      expect(response.headers.link).toBe('</docs#/Stores/getStore>; rel="deprecation"; type="text/html"');
    }
  });

  it('answers listItems with Deprecation only when the deprecated q is used', async () => {
    const plain = await t.request({ method: 'GET', url: '/items' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers.deprecation).toBeUndefined();
    const searched = await t.request({ method: 'GET', url: '/items?q=tea' });
    expect(searched.statusCode).toBe(200);
    expect(searched.headers.deprecation).toBe(`@${Date.parse('2026-07-01') / 1000}`);
    expect(searched.headers.sunset).toBeUndefined();
  });

  it('answers operations that are not deprecated without them', async () => {
    const response = await t.request({ method: 'GET', url: '/stores' });
    expect(response.statusCode).toBe(200);
    expect(response.headers.deprecation).toBeUndefined();
    expect(response.headers.link).toBeUndefined();
  });
});
