// npm run test:prism [spec]: what a consumer sees from Prism's mock server, run with its defaults on our document
// (`prism mock openapi.yaml`, here on a free loopback port). Prism answers from the spec's examples, so this checks
// the examples themselves:
// - the seed request, `GET /stores?include=items`, answers with stores that have items;
// - every declared error status of every operation, asked for with Prism's `Prefer: code=NNN` header, answers with
//   a problem whose `status` is NNN and whose `type` is the one the server sends for NNN;
// - each create's `Location` names a resource of the kind created (`POST /items` → `/items/<id of the body>`).
// Each failure is stated on its own line; the run exits 1 if there is any. `spec` defaults to openapi.yaml.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { problem } from '../src/http/problem.js';
import { freePort } from '../test/helpers/server-process.js';
import { root } from './consumer/tools.js';

type Json = Record<string, unknown>;

const specPath = process.argv[2] ?? join(root, 'openapi.yaml');
const spec = parse(readFileSync(specPath, 'utf8')) as Json;
const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;
// Any id the schemas accept: Prism only checks that path values fit their schema.
const someId = '01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f';

/** The object a local `$ref` points to (followed until it is no longer a reference). */
function resolve(value: unknown): Json {
  let node = value as Json;
  while (typeof node?.$ref === 'string') {
    node = (node.$ref as string)
      .slice(2)
      .split('/')
      .reduce<Json>((at, key) => at[key.replaceAll('~1', '/').replaceAll('~0', '~')] as Json, spec);
  }
  return node;
}

/**
 * The problem types the server sends with a status (src/http/problem.ts). Two statuses have two: 400 (a value
 * breaking the schema, or a body that is not JSON) and 429 (the per-client rate limit, or the per-account sign-in
 * limit of src/auth/sign-in-throttle.ts).
 */
function typesFor(status: number): string[] {
  if (status === 400) return ['/problems/validation-failed', '/problems/malformed-request'];
  if (status === 429) return ['/problems/rate-limited', '/problems/sign-in-throttled'];
  return [problem(status, '').body.type];
}

interface Operation {
  id: string;
  method: string;
  path: string;
  operation: Json;
}

function operations(): Operation[] {
  const found: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths as Record<string, Json>)) {
    for (const method of methods) {
      const operation = item[method] as Json | undefined;
      if (operation) found.push({ id: operation.operationId as string, method, path, operation });
    }
  }
  return found;
}

/** A request Prism accepts as valid for the operation: path ids filled in, the body from its first example. */
function validRequest({ method, path, operation }: Operation): { url: string; init: RequestInit } {
  const headers: Record<string, string> = {};
  const security = (operation.security ?? spec.security ?? []) as unknown[];
  if (security.some((requirement) => Object.keys(requirement as Json).length > 0)) {
    headers.authorization = 'Bearer any-token-prism-accepts';
  }
  let body: string | undefined;
  if (operation.requestBody) {
    const requestBody = resolve(operation.requestBody);
    const [mediaType, media] = Object.entries(requestBody.content as Record<string, Json>)[0] ?? [];
    const examples = Object.values((media?.examples ?? {}) as Record<string, Json>).map((e) => resolve(e).value);
    const schemaExamples = (resolve(media?.schema).examples ?? []) as unknown[];
    headers['content-type'] = mediaType ?? 'application/json';
    body = JSON.stringify(media?.example ?? examples[0] ?? schemaExamples[0] ?? {});
  }
  const init: RequestInit = { method: method.toUpperCase(), headers };
  if (body !== undefined) init.body = body;
  return { url: path.replace(/\{[^}]+\}/g, someId), init };
}

async function startPrism(): Promise<{ base: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  // Prism's defaults, except the port (a free one) and the host (loopback, which is also its default).
  const child = spawn(join(root, 'node_modules/.bin/prism'), ['mock', '-h', '127.0.0.1', '-p', `${port}`, specPath], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    if (/Prism is listening/.test(output)) return { base, child, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  stop(child);
  throw new Error(`prism mock did not start:\n${output}`);
}

function stop(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

const failures: string[] = [];
let passed = 0;
function check(ok: boolean, failure: string): void {
  if (ok) passed++;
  else failures.push(failure);
}

async function seedRequest(base: string): Promise<void> {
  const response = await fetch(`${base}/stores?include=items`);
  const body = (await response.json().catch(() => ({}))) as { stores?: Array<{ name?: string; items?: unknown[] }> };
  const stores = body.stores ?? [];
  const bare = stores.filter((store) => !Array.isArray(store.items) || store.items.length === 0);
  check(
    response.status === 200 && stores.length > 0 && bare.length === 0,
    `GET /stores?include=items: ${response.status}, ${stores.length} stores, ` +
      `${bare.length} without items (${bare.map((s) => JSON.stringify(s.name)).join(', ')}); ` +
      'the seed request must show stores with their items',
  );
}

async function errorStatuses(base: string): Promise<void> {
  // One line per distinct wrong answer, naming every operation and status that gave it.
  const wrong = new Map<string, string[]>();
  for (const op of operations()) {
    const statuses = Object.keys(op.operation.responses as Json).filter((s) => /^[45]\d\d$/.test(s));
    for (const status of statuses.map(Number)) {
      const { url, init } = validRequest(op);
      const response = await fetch(`${base}${url}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), prefer: `code=${status}` },
      });
      const text = await response.text();
      let body: Json = {};
      try {
        body = JSON.parse(text) as Json;
      } catch {
        // Reported below as a body without status.
      }
      const types = typesFor(status);
      const ok = response.status === status && body.status === status && types.includes(body.type as string);
      if (ok) {
        passed++;
        continue;
      }
      const what =
        response.status !== status
          ? `answered ${response.status} (asked for ${status}): ${text.slice(0, 200)}`
          : `answered ${status} with a problem of status ${JSON.stringify(body.status)} and type ` +
            `${JSON.stringify(body.type)} (want status ${status}, type ${types.join(' or ')})`;
      const key = `Prefer: code=${status} on %s: ${what}`;
      wrong.set(key, [...(wrong.get(key) ?? []), op.id]);
    }
  }
  for (const [key, ids] of wrong) failures.push(key.replace('%s', ids.join(', ')));
}

async function locations(base: string): Promise<void> {
  for (const op of operations()) {
    const declared = (op.operation.responses as Json)['201'];
    const created = declared === undefined ? undefined : resolve(declared);
    if (!created?.headers || !('Location' in (created.headers as Json))) continue;
    const { url, init } = validRequest(op);
    const response = await fetch(`${base}${url}`, init);
    const location = response.headers.get('location') ?? '';
    const body = (await response.json().catch(() => ({}))) as Json;
    const path = URL.canParse(location) ? new URL(location).pathname : location;
    const expected = `${op.path}/${typeof body.id === 'string' ? body.id : '<id>'}`;
    check(
      response.status === 201 && path === expected,
      `${op.id} (${op.method.toUpperCase()} ${op.path}): ${response.status}, Location ${location || 'missing'}; ` +
        `want a URL of ${expected}, the ${op.path.slice(1)} resource in the example body`,
    );
  }
}

const prism = await startPrism();
try {
  await seedRequest(prism.base);
  await errorStatuses(prism.base);
  await locations(prism.base);
} catch (error) {
  failures.push(`the check itself failed: ${(error as Error).message}\n${prism.output()}`);
} finally {
  stop(prism.child);
}
for (const failure of failures) console.error(`FAIL ${failure}`);
console.log(`\nprism mock ${specPath}: ${passed} checks passed, ${failures.length} failed`);
process.exit(failures.length > 0 ? 1 : 0);
