import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationId, operations } from '../../generated/operations.js';
import { serverErrors } from '../../scripts/consumer/tools.js';
import { specPath } from '../../src/http/openapi-spec.js';
import { noShedding, type ServerProcess, startServer } from '../helpers/server-process.js';

// What Swagger UI's "Try it out" sends, taken from the spec as it stands: each parameter's example and the first
// body example. On a fresh development server (demo data loaded) every one of them must succeed, signed in with
// the sign-in example (the demo login). Changes run before the deletes that would take their subjects away.
type Json = Record<string, unknown>;
const spec = load(readFileSync(specPath, 'utf8')) as Json;

function resolve<T = Json>(node: unknown): T {
  let current = node as Json;
  while (typeof current?.$ref === 'string') {
    current = (current.$ref as string)
      .slice(2)
      .split('/')
      .reduce<Json>((at, key) => at[key] as Json, spec);
  }
  return current as T;
}

interface Example {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

function exampleOf(id: OperationId): Example {
  const operation = operations[id];
  const item = (spec.paths as Json)[operation.path] as Json;
  const declared = resolve(item[operation.method.toLowerCase()]);
  let url: string = operation.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const raw of (declared.parameters as unknown[] | undefined) ?? []) {
    const parameter = resolve(raw);
    const schema = resolve(parameter.schema);
    const value = parameter.example ?? (schema.examples as unknown[] | undefined)?.[0];
    if (value === undefined) continue;
    const name = String(parameter.name);
    if (parameter.in === 'path') url = url.replace(`{${name}}`, encodeURIComponent(String(value)));
    if (parameter.in === 'query') query.set(name, String(value));
    if (parameter.in === 'header') headers[name] = String(value);
  }
  const content = declared.requestBody && resolve<{ content?: Record<string, Json> }>(declared.requestBody).content;
  const [mediaType, media] = Object.entries(content ?? {})[0] ?? [];
  const examples = media?.examples as Record<string, unknown> | undefined;
  const body = examples && resolve<{ value: unknown }>(Object.values(examples)[0]).value;
  if (mediaType) headers['content-type'] = mediaType;
  return { method: operation.method, url: `${url}${query.size > 0 ? `?${query}` : ''}`, headers, body };
}

// A refresh token is random: the spec's example cannot be one the server issued, so it earns the 401 it
// documents.
const cannotSucceedAsItStands: OperationId[] = ['refreshToken'];
const ids = (Object.keys(operations) as OperationId[]).filter((id) => !cannotSucceedAsItStands.includes(id));
const lastOf = [
  'untagItem',
  'deleteTag',
  'deleteItem',
  'deleteStore',
  'revokeToken',
  'revokeAllTokens',
  'changePassword',
  'deleteUser',
];
// Signing out ends the access token it is sent with, signing out everywhere every one: each gets a sign-in of
// its own, and the others a new one after it.
const signsOut = ['revokeToken', 'revokeAllTokens'];
const order = [...ids.filter((id) => !lastOf.includes(id)), ...lastOf.filter((id) => ids.includes(id as OperationId))];

let server: ServerProcess;
let token: string;

async function signIn(): Promise<string> {
  const example = exampleOf('createToken');
  const response = await fetch(`${server.base}${example.url}`, {
    method: 'POST',
    headers: example.headers,
    body: JSON.stringify(example.body),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

beforeAll(async () => {
  server = await startServer({ LOG_LEVEL: 'warn', ...noShedding });
  token = await signIn();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe("the spec's examples, sent as they stand to a fresh development server", () => {
  it.each(order)('%s succeeds', async (id) => {
    const example = exampleOf(id as OperationId);
    const secured = operations[id as OperationId].secured;
    const response = await fetch(`${server.base}${example.url}`, {
      method: example.method,
      headers: {
        ...example.headers,
        ...(secured && { authorization: `Bearer ${signsOut.includes(id) ? await signIn() : token}` }),
      },
      ...(example.body !== undefined && { body: JSON.stringify(example.body) }),
    });
    if (id === 'revokeAllTokens') token = await signIn();
    const success = Object.keys(operations[id as OperationId].responses)
      .map(Number)
      .filter((status) => status < 300);
    expect(success, `${example.method} ${example.url}: ${await response.text()}`).toContain(response.status);
  });

  it('were each answered as the spec declares (strict response checking logged no breach)', () => {
    expect(serverErrors(server.output())).toEqual([]);
  });
});
