// Reads the facts the route bindings need out of an OpenAPI 3.1 document: one plain record per operation.
// Only local references (`#/components/...`) are followed; the spec keeps everything in one file.

import { type DeprecationFact, readDeprecation } from './read-deprecation.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ParameterFact {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  hasDefault: boolean;
}

export interface HeaderFact {
  name: string;
  required: boolean;
  tsType: 'string' | 'number' | 'boolean';
  /** Set when the schema allows exactly one value (`enum: [no-store]`): the binding sends it, not the handler. */
  fixedValue: string | null;
}

export interface ResponseFact {
  status: number;
  contentType: string | null;
  headers: HeaderFact[];
}

/** `x-ownership`: whose resource an operation touches, and where the request carries its id. */
export interface OwnershipFact {
  of: 'store' | 'item' | 'tag' | 'user';
  from: { in: 'path' | 'body'; name: string };
}

/** `x-rate-limit`: at most `max` requests per client in `window` seconds. */
export interface RateLimitFact {
  max: number;
  window: number;
}

export interface OperationFact {
  operationId: string;
  method: HttpMethod;
  path: string;
  summary: string | null;
  security: Record<string, string[]>[];
  ownership: OwnershipFact | null;
  rateLimit: RateLimitFact | null;
  parameters: ParameterFact[];
  requestBody: { required: boolean; contentTypes: string[] } | null;
  responses: ResponseFact[];
  deprecation: DeprecationFact | null;
}

type Json = Record<string, unknown>;

const methods: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function readOperations(doc: Json): OperationFact[] {
  const facts: OperationFact[] = [];
  const paths = asObject(doc.paths, 'paths');
  for (const [path, rawPathItem] of Object.entries(paths)) {
    const pathItem = resolve(doc, rawPathItem);
    // Swagger UI's deep links (`/docs#/Items/getItem`) lose parameters declared on the path item: it shows a
    // nameless one and sends `{itemId}` as it stands. Each operation declares its own.
    if (asArray(pathItem.parameters).length > 0) {
      throw new Error(`${path}: declare its parameters on each operation, not on the path item`);
    }
    for (const method of methods) {
      const rawOperation = pathItem[method.toLowerCase()];
      if (rawOperation === undefined) continue;
      const operation = resolve(doc, rawOperation);
      facts.push(readOperation(doc, path, method, operation));
    }
  }
  return facts;
}

function readOperation(doc: Json, path: string, method: HttpMethod, operation: Json): OperationFact {
  const operationId = operation.operationId;
  if (typeof operationId !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(operationId)) {
    throw new Error(`${method} ${path}: every operation needs a camelCase operationId`);
  }
  const rawParameters = asArray(operation.parameters).map((p) => resolve(doc, p));
  const parameters = rawParameters.map((p) => readParameter(doc, p));
  // The docs list parameters in the order given: what a caller must fill in comes first.
  const firstOptional = parameters.findIndex((p) => !p.required);
  if (firstOptional >= 0 && parameters.slice(firstOptional).some((p) => p.required)) {
    throw new Error(`${operationId}: list its required parameters before the optional ones`);
  }
  const security = (operation.security ?? doc.security ?? []) as Record<string, string[]>[];
  return {
    operationId,
    method,
    path,
    summary: typeof operation.summary === 'string' ? operation.summary : null,
    security,
    ownership: readOwnership(operationId, operation['x-ownership']),
    rateLimit: readRateLimit(operationId, operation['x-rate-limit']),
    parameters,
    requestBody: readRequestBody(doc, operation.requestBody),
    responses: Object.entries(asObject(operation.responses, `${operationId}.responses`)).map(([status, r]) =>
      readResponse(doc, operationId, status, resolve(doc, r)),
    ),
    deprecation: readDeprecation(operationId, operation, rawParameters),
  };
}

function readOwnership(operationId: string, raw: unknown): OwnershipFact | null {
  if (raw === undefined) return null;
  const { of, from } = asObject(raw, `${operationId} x-ownership`);
  const [location, name, ...rest] = String(from).split('.');
  if (
    !['store', 'item', 'tag', 'user'].includes(String(of)) ||
    (location !== 'path' && location !== 'body') ||
    !name ||
    rest.length > 0
  ) {
    throw new Error(`${operationId}: x-ownership needs of: store|item|tag|user and from: path.<name> or body.<name>`);
  }
  return { of: of as OwnershipFact['of'], from: { in: location, name } };
}

function readRateLimit(operationId: string, raw: unknown): RateLimitFact | null {
  if (raw === undefined) return null;
  const { max, window } = asObject(raw, `${operationId} x-rate-limit`);
  if (!Number.isInteger(max) || !Number.isInteger(window) || Number(max) < 1 || Number(window) < 1) {
    throw new Error(`${operationId}: x-rate-limit needs positive integers max and window (seconds)`);
  }
  return { max: Number(max), window: Number(window) };
}

function readParameter(doc: Json, p: Json): ParameterFact {
  const schema = p.schema === undefined ? {} : resolve(doc, p.schema);
  return {
    name: String(p.name),
    in: p.in as ParameterFact['in'],
    required: p.required === true,
    hasDefault: schema.default !== undefined,
  };
}

function readRequestBody(doc: Json, raw: unknown): OperationFact['requestBody'] {
  if (raw === undefined) return null;
  const body = resolve(doc, raw);
  return { required: body.required === true, contentTypes: Object.keys(asObject(body.content, 'requestBody.content')) };
}

function readResponse(doc: Json, operationId: string, status: string, response: Json): ResponseFact {
  if (!/^[1-5]\d\d$/.test(status)) {
    throw new Error(`${operationId}: response "${status}" must be an explicit status code, not a range or default`);
  }
  const contentTypes = Object.keys(response.content === undefined ? {} : asObject(response.content, 'content'));
  if (contentTypes.length > 1) {
    throw new Error(`${operationId} ${status}: one media type per response is supported, found ${contentTypes}`);
  }
  const headers = Object.entries(response.headers === undefined ? {} : asObject(response.headers, 'headers')).map(
    ([name, h]) => readHeader(doc, name, resolve(doc, h)),
  );
  return { status: Number(status), contentType: contentTypes[0] ?? null, headers };
}

function readHeader(doc: Json, name: string, header: Json): HeaderFact {
  const schema = header.schema === undefined ? {} : resolve(doc, header.schema);
  const tsType =
    schema.type === 'integer' || schema.type === 'number' ? 'number' : schema.type === 'boolean' ? 'boolean' : 'string';
  const fixedValue = Array.isArray(schema.enum) && schema.enum.length === 1 ? String(schema.enum[0]) : null;
  return { name, required: header.required === true, tsType, fixedValue };
}

function resolve(doc: Json, value: unknown): Json {
  let current = value;
  for (let depth = 0; depth < 10; depth++) {
    const node = asObject(current, 'node');
    if (typeof node.$ref !== 'string') return node;
    if (!node.$ref.startsWith('#/')) throw new Error(`only local references are supported: ${node.$ref}`);
    current = node.$ref
      .slice(2)
      .split('/')
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((at, key) => asObject(at, node.$ref as string)[key], doc);
    if (current === undefined) throw new Error(`unresolved reference ${node.$ref}`);
  }
  throw new Error('reference chain too deep');
}

function asObject(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${where}: expected an object`);
  return value as Json;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
