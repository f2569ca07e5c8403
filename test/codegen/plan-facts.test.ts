import { describe, expect, it } from 'vitest';
import { readOperations } from '../../scripts/codegen/read-operations.js';
import { checkBindingRules, renderBindings } from '../../scripts/codegen/render-bindings.js';

const problem = { $ref: '#/components/responses/Problem' };
const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), problem]));
const thingId = { name: 'thingId', in: 'path', required: true, schema: { type: 'string' } };
const etag = { ETag: { required: true, schema: { type: 'string' } } };
const json = { 'application/json': { schema: {} } };

/** A path with a GET (tagged or not) and a PATCH taking the given header parameters. */
function things(options: { getTagged: boolean; withGet?: boolean; patchHeaders: string[] }) {
  const get = {
    operationId: 'getThing',
    summary: 'Read a thing',
    parameters: [thingId, { name: 'If-None-Match', in: 'header', schema: { type: 'string' } }],
    responses: {
      '200': { description: 'ok', headers: options.getTagged ? etag : {}, content: json },
      '304': { description: 'same' },
      ...problems(400, 404, 406, 500, 503),
    },
  };
  const patch = {
    operationId: 'changeThing',
    summary: 'Change a thing */ really',
    security: [{ bearer: [] }],
    'x-ownership': { of: 'store', from: 'path.thingId' },
    parameters: [thingId, ...options.patchHeaders.map((name) => ({ name, in: 'header', schema: { type: 'string' } }))],
    requestBody: { required: true, content: { 'application/merge-patch+json': { schema: {} } } },
    responses: {
      '200': { description: 'ok', headers: etag, content: json },
      ...problems(400, 401, 403, 404, 406, 409, 412, 413, 415, 422, 428, 500, 503),
    },
  };
  return {
    openapi: '3.1.0',
    paths: { '/things/{thingId}': { ...(options.withGet === false ? {} : { get }), patch } },
    components: { responses: { Problem: { content: { 'application/problem+json': { schema: {} } } } } },
  };
}

describe('the plan the generator emits per operation', () => {
  const operations = readOperations(things({ getTagged: true, patchHeaders: ['If-Match'] }));
  const source = renderBindings(operations);
  const entry = (id: string) =>
    source.slice(source.indexOf(`  ${id}: {`), source.indexOf('responses: {', source.indexOf(`  ${id}: {`)));

  it('names the reader an If-Match compares against, and none where there is no If-Match', () => {
    expect(checkBindingRules(operations)).toEqual([]);
    expect(entry('changeThing')).toContain("ifMatchReader: 'getThing',");
    expect(entry('getThing')).toContain('ifMatchReader: null,');
  });

  it('lists path and header parameters, the success media types and whether a create is idempotent', () => {
    expect(entry('getThing')).toContain("pathParameters: ['thingId'],");
    expect(entry('getThing')).toContain("headerParameters: ['If-None-Match'],");
    expect(entry('getThing')).toContain("answersWith: ['application/json'],");
    expect(entry('changeThing')).toContain('idempotent: false,');
    const idempotent = renderBindings(readOperations(things({ getTagged: true, patchHeaders: ['Idempotency-Key'] })));
    expect(idempotent).toContain('idempotent: true,');
  });

  it('documents each operation: method, path, security, ownership and preconditions', () => {
    const comment = [
      '  /**',
      '   * PATCH /things/{thingId}: Change a thing *\\/ really',
      '   * Security: bearer. Ownership: the store named by path parameter thingId (403 otherwise).',
      "   * Preconditions: If-Match against the ETag of getThing's 200 (412 if stale; 428 without it when REQUIRE_IF_MATCH).",
      '   */',
    ].join('\n');
    expect(source).toContain(`${comment}\n  changeThing: {`);
    // The same comment on the table entry above, and on the request type (whose first member is `path`).
    expect(source).toContain(`${comment}\n  changeThing: {\n    path:`);
    expect(source).toContain('   * Security: none (public). Ownership: none.');
  });
});

describe('the rules for preconditions', () => {
  it.each([
    ['an If-Match with no GET of the same path', { getTagged: true, withGet: false, patchHeaders: ['If-Match'] }],
    ['an If-Match whose GET sends no ETag', { getTagged: false, patchHeaders: ['If-Match'] }],
  ])('refuses %s', (_name, options) => {
    expect(checkBindingRules(readOperations(things(options)))).toContain(
      'changeThing honours If-Match but no GET of /things/{thingId} answers 200 with an ETag',
    );
  });

  it('refuses an operation with both If-Match and Idempotency-Key: it has one runner', () => {
    const operations = readOperations(things({ getTagged: true, patchHeaders: ['If-Match', 'Idempotency-Key'] }));
    expect(checkBindingRules(operations)).toEqual([
      'changeThing: the binding runs If-Match or Idempotency-Key, not both',
    ]);
  });
});
