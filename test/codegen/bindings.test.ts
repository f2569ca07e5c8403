import { describe, expect, it } from 'vitest';
import { readOperations } from '../../scripts/codegen/read-operations.js';
import { checkBindingRules, renderBindings } from '../../scripts/codegen/render-bindings.js';

const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

function spec(operation: Record<string, unknown>, path = '/things/{thingId}', method = 'get') {
  const own = (operation.parameters as unknown[] | undefined) ?? [];
  const parameters = [{ $ref: '#/components/parameters/ThingId' }, ...own];
  return {
    openapi: '3.1.0',
    paths: { [path]: { [method]: { ...operation, parameters } } },
    components: {
      parameters: { ThingId: { name: 'thingId', in: 'path', required: true, schema: { type: 'string' } } },
      responses: { Problem: problem },
      schemas: { Problem: { type: 'object' } },
    },
  };
}

const declared = (...given: number[]) => declaredOnly(...given, 406, 503);
const declaredOnly = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: '#/components/responses/Problem' }]));

describe('readOperations', () => {
  it('reads method, path, path-level and own parameters, defaults, body and response headers', () => {
    const [op] = readOperations(
      spec(
        {
          operationId: 'updateThing',
          security: [{ bearer: [] }],
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', default: 20 } }],
          requestBody: { required: true, content: { 'application/merge-patch+json': { schema: {} } } },
          responses: {
            '201': { description: 'ok', headers: { Location: { required: true, schema: { type: 'string' } } } },
            ...declared(400, 404, 413, 415, 500),
          },
        },
        '/things/{thingId}',
        'patch',
      ),
    );
    expect(op).toMatchObject({
      operationId: 'updateThing',
      method: 'PATCH',
      path: '/things/{thingId}',
      security: [{ bearer: [] }],
      parameters: [
        { name: 'thingId', in: 'path', required: true, hasDefault: false },
        { name: 'limit', in: 'query', required: false, hasDefault: true },
      ],
      requestBody: { required: true, contentTypes: ['application/merge-patch+json'] },
    });
    expect(op?.responses[0]).toEqual({
      status: 201,
      contentType: null,
      headers: [{ name: 'Location', required: true, tsType: 'string', fixedValue: null }],
    });
  });

  it.each([
    ['no operationId', { responses: {} }, /camelCase operationId/],
    ['a snake_case operationId', { operationId: 'get_thing', responses: {} }, /camelCase operationId/],
    ['a status range', { operationId: 'getThing', responses: { '4XX': problem } }, /explicit status code/],
    ['a default response', { operationId: 'getThing', responses: { default: problem } }, /explicit status code/],
    [
      'an optional parameter before a required one',
      {
        operationId: 'getThing',
        parameters: [
          { name: 'If-Match', in: 'header', schema: { type: 'string' } },
          { name: 'version', in: 'query', required: true, schema: { type: 'string' } },
        ],
        responses: {},
      },
      /required parameters before the optional ones/,
    ],
  ])('refuses %s', (_name, operation, message) => {
    expect(() => readOperations(spec(operation))).toThrow(message);
  });

  it('refuses parameters declared on the path item', () => {
    const document = spec({ operationId: 'getThing', responses: {} });
    const pathItem = document.paths['/things/{thingId}'] as Record<string, unknown>;
    pathItem.parameters = [{ $ref: '#/components/parameters/ThingId' }];
    expect(() => readOperations(document)).toThrow(/on each operation, not on the path item/);
  });
});

describe('checkBindingRules', () => {
  const body = { requestBody: { required: true, content: { 'application/json': { schema: {} } } } };
  it.each([
    ['everything the binding may answer', { responses: declared(200, 400, 404, 500) }, 'get', []],
    ['no 500', { responses: declared(200, 400, 404) }, 'get', ['getThing must declare a 500 response']],
    ['no 406', { responses: declaredOnly(200, 400, 404, 500, 503) }, 'get', ['getThing must declare a 406 response']],
    ['no 503', { responses: declaredOnly(200, 400, 404, 406, 500) }, 'get', ['getThing must declare a 503 response']],
    ['no 400', { responses: declared(200, 404, 500) }, 'get', ['getThing must declare a 400 response']],
    [
      'no 404 with a path parameter',
      { responses: declared(200, 400, 500) },
      'get',
      ['getThing must declare a 404 response'],
    ],
    [
      'no 406 where no success has content',
      { responses: { '204': { description: 'gone' }, ...declaredOnly(400, 404, 500, 503) } },
      'delete',
      [],
    ],
    [
      'a 406 where no success has content',
      { responses: { '204': { description: 'gone' }, ...declaredOnly(400, 404, 406, 500, 503) } },
      'delete',
      ['getThing: its success has no content, so it never answers 406'],
    ],
    [
      'no 413 or 415 with a body',
      { ...body, responses: declared(200, 400, 404, 500) },
      'put',
      ['getThing must declare a 413 response', 'getThing must declare a 415 response'],
    ],
  ])('%s', (_name, operation, method, broken) => {
    const operations = readOperations(spec({ operationId: 'getThing', ...operation }, '/things/{thingId}', method));
    expect(checkBindingRules(operations)).toEqual(broken);
  });
});

describe('renderBindings', () => {
  const operations = readOperations(
    spec({
      operationId: 'getThing',
      parameters: [{ name: 'sort', in: 'query', schema: { type: 'string', default: 'name' } }],
      responses: {
        '200': { description: 'ok', content: { 'application/json': { schema: {} } } },
        '204': { description: 'none' },
        ...declared(400, 404, 500),
      },
    }),
  );
  const source = renderBindings(operations);

  it('starts with a do-not-edit header', () => {
    expect(source.startsWith('// Generated by scripts/generate.ts from openapi.yaml. Do not edit')).toBe(true);
  });

  it('emits the runtime table with the Fastify route', () => {
    expect(source).toContain("method: 'GET'");
    expect(source).toContain("route: '/things/:thingId'");
  });

  it('makes defaulted query parameters required in the request type', () => {
    expect(source).toContain("query: WithDefaults<NonNullable<Spec['getThing']['parameters']['query']>, 'sort'>;");
  });

  it('emits one reply variant per declared status, with no body where none is declared', () => {
    expect(source).toContain(
      "| { status: 200; headers?: never; body: Spec['getThing']['responses'][200]['content']['application/json'] }",
    );
    expect(source).toContain('| { status: 204; headers?: never; body?: never }');
    expect(source).toContain(
      "| { status: 404; headers?: never; body: Spec['getThing']['responses'][404]['content']['application/problem+json'] }",
    );
    expect(source.match(/\| \{ status: /g)).toHaveLength(7);
  });
});
