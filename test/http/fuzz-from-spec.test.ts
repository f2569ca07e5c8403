import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type OperationId, operations } from '../../generated/operations.js';
import { anyText, anyValue, invalidFor, type Schema, validFor } from '../helpers/schema-arbitrary.js';
import { snapshot } from '../helpers/snapshot.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { givenFixture, type Ids, ids } from '../helpers/valid-requests.js';

// Property: whatever path, query, headers and body a client sends, generated from the spec's own schemas (valid
// and invalid), the API never answers 5xx, every error is problem+json whose status is the HTTP status, and a
// refused change leaves the database as it was. The test app also checks every response against the spec.

/** Runs per operation; `FUZZ_RUNS` raises it for a longer hunt. */
const runs = Number(process.env.FUZZ_RUNS ?? 40);

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: Schema;
}

const spec = dereference(parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'))) as {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>
  > &
    Record<string, { parameters?: Parameter[] }>;
};

/** Ids with no meaning here, ids of nothing, and attempts to climb out of the path. */
const hostileIds = ['..', '../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%00', "1' OR '1'='1", '<script>', ' '];

const printable = fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));

function requestFor(id: OperationId) {
  const operation = operations[id];
  const pathItem = spec.paths[operation.path] ?? {};
  const declared = pathItem[operation.method.toLowerCase()] ?? {};
  const parameters = [...(pathItem.parameters ?? []), ...(declared.parameters ?? [])] as Parameter[];
  const of = (place: Parameter['in']) => parameters.filter((p) => p.in === place);
  const bodySchema = operation.requestBody && declared.requestBody?.content[operation.requestBody.contentType]?.schema;

  const pathValue = (p: Parameter) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant({ fixture: p.name }) },
      { weight: 1, arbitrary: validFor(p.schema).map(String) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...hostileIds), anyText) },
    );
  const queryValue = (p: Parameter) =>
    fc.oneof(
      validFor(p.schema).map((v) => String(v)),
      invalidFor(p.schema).map((v) => JSON.stringify(v) ?? ''),
      anyText,
    );
  const headerValue = (p: Parameter) =>
    fc.oneof(validFor(p.schema).map(String), printable).map((v) => v.replace(/[^\x20-\x7e]/g, ''));
  const optional = <T>(entries: [string, fc.Arbitrary<T>][]) =>
    fc.record(Object.fromEntries(entries), { requiredKeys: [] }) as fc.Arbitrary<Record<string, T>>;

  const fixturePath = fc.constant(Object.fromEntries(of('path').map((p) => [p.name, { fixture: p.name }])));
  // A request a client could well send: the fixture's ids, values the schemas accept.
  const plausible = fc.record({
    path: fixturePath,
    // A cursor is valid only as the API issued it, which no schema can generate.
    query: optional(
      of('query').flatMap((p) => (p.name === 'cursor' ? [] : [[p.name, validFor(p.schema).map(String)]])),
    ),
    unknownQuery: fc.constant(null),
    headers: optional(of('header').map((p) => [p.name, headerValue(p)])),
    body: bodySchema ? validFor(bodySchema) : fc.constant(undefined),
    anonymous: fc.constant(false),
    plausible: fc.constant(true),
  });
  // Anything at all, in every part at once.
  const hostile = fc.record({
    path: fc.record(Object.fromEntries(of('path').map((p) => [p.name, pathValue(p)]))),
    query: optional(of('query').map((p) => [p.name, queryValue(p)])),
    unknownQuery: fc.option(
      fc.tuple(
        printable.filter((k) => k.length > 0),
        anyText,
      ),
    ),
    headers: optional(of('header').map((p) => [p.name, headerValue(p)])),
    body: bodySchema
      ? fc.oneof(validFor(bodySchema), invalidFor(bodySchema), anyValue)
      : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, anyValue),
    anonymous: fc.boolean(),
    plausible: fc.constant(false),
  });
  return fc.oneof(plausible, hostile);
}

function urlOf(
  path: string,
  values: Record<string, unknown>,
  fixture: Ids,
  query: Record<string, string>,
  extra: [string, string] | null,
) {
  const known: Record<string, string> = {
    storeId: fixture.storeId,
    itemId: fixture.itemId,
    tagId: fixture.tagId,
    userId: fixture.user.id,
  };
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    const raw = typeof value === 'object' && value !== null ? (known[name] ?? '') : String(value);
    try {
      return encodeURIComponent(raw);
    } catch {
      return '%ED%A0%80'; // a lone surrogate: invalid UTF-8 in the path
    }
  });
  const search = new URLSearchParams(query);
  if (extra) search.append(...extra);
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}

describe.each(ids)('%s, given generated requests', (id) => {
  let t: TestApp;
  let fixture: Ids;
  const seen = new Map<number, number>();
  beforeAll(async () => {
    t = await createTestApp();
    fixture = await givenFixture(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it(`never answers 5xx, answers every error as problem+json, and changes nothing when it refuses (${runs} runs)`, async () => {
    const operation = operations[id];
    await fc.assert(
      fc.asyncProperty(requestFor(id), async (generated) => {
        const before = operation.method === 'GET' ? undefined : await snapshot(t.db);
        const response = await t.request({
          method: operation.method,
          url: urlOf(operation.path, generated.path, fixture, generated.query, generated.unknownQuery),
          headers: {
            ...generated.headers,
            ...(operation.requestBody && { 'content-type': operation.requestBody.contentType }),
          },
          ...(generated.body !== undefined && { payload: JSON.stringify(withFixture(generated, fixture)) }),
          ...(generated.anonymous && { as: null }),
        });
        seen.set(response.statusCode, (seen.get(response.statusCode) ?? 0) + 1);
        expect(response.statusCode, response.body).toBeLessThan(500);
        if (response.statusCode >= 400) {
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(response.data.status).toBe(response.statusCode);
          if (before) expect(await snapshot(t.db)).toEqual(before);
        }
      }),
      { numRuns: runs },
    );
    if (process.env.FUZZ_DEBUG) console.log(id, JSON.stringify(Object.fromEntries(seen)));
    // The generated requests reach past validation, not only into it.
    expect([...seen.keys()].some((status) => status !== 400)).toBe(true);
  });
});

/** A plausible body names the fixture's store, as a client names a store it knows. */
function withFixture(generated: { body: unknown; plausible: boolean }, fixture: Ids): unknown {
  const { body } = generated;
  if (!generated.plausible || typeof body !== 'object' || body === null || !('storeId' in body)) return body;
  return { ...body, storeId: fixture.storeId };
}

function dereference(node: unknown, root: unknown = node, depth = 0): unknown {
  if (depth > 30) throw new Error('reference chain too deep');
  if (Array.isArray(node)) return node.map((n) => dereference(n, root, depth + 1));
  if (typeof node !== 'object' || node === null) return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key.replaceAll('~1', '/')], root);
    return dereference(target, root, depth + 1);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, dereference(v, root, depth + 1)]));
}
