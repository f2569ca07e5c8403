import { randomUUID } from 'node:crypto';
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from '../helpers/fresh-database.js';
import { instancePorts, proxyBase, type RunningNginx, startNginx } from '../helpers/nginx.js';
import { type ServerProcess, startServer } from '../helpers/server-process.js';

// Two API processes on one PostgreSQL database, nginx in front (deploy/nginx.conf), every request through the
// proxy. Which instance answered a request is read from the instances' own logs, by the request id we send.
let schema: Awaited<ReturnType<typeof freshSchema>>;
let instances: ServerProcess[];
let proxy: RunningNginx;
let token: string;
const agent = new Agent({ keepAlive: true, maxSockets: 32 });

beforeAll(async () => {
  schema = await freshSchema();
  const env = (port: number) => ({
    PORT: String(port),
    DATABASE_URL: schema.url,
    TRUST_PROXY: 'loopback',
    // The hosts clients reach the proxy by: the test's own name for it, and its loopback address.
    ALLOWED_HOSTS: 'api.example.test:8443,127.0.0.1',
    SEED_DEMO_DATA: 'false',
  });
  // The first migrates; the second finds the schema current.
  const first = await startServer(env(instancePorts[0]));
  instances = [first, await startServer(env(instancePorts[1]))];
  proxy = await startNginx();
  await send('POST', '/users', { body: { email: 'scale@example.com', password: 'scale password' } });
  const signedIn = await send('POST', '/auth/tokens', {
    body: { email: 'scale@example.com', password: 'scale password' },
  });
  token = signedIn.data.accessToken;
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  for (const instance of instances ?? []) await instance.stop();
  await schema?.drop();
});

interface Sent {
  status: number;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: tests read bodies freely; the instances check them against the spec.
  data: any;
  /** Index of the instance that answered, from its log; -1 when no instance logged the request. */
  readonly servedBy: number;
}

async function send(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; as?: string | null; from?: string } = {},
): Promise<Sent> {
  const id = `scale-${randomUUID()}`;
  const auth = options.as === null ? undefined : (options.as ?? token);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers = {
    'x-request-id': id,
    ...(auth && { authorization: `Bearer ${auth}` }),
    ...(body !== undefined && {
      'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    }),
    ...options.headers,
  };
  // node:http rather than fetch, which does not let a test choose the Host header.
  const { status, responseHeaders, text } = await new Promise<{
    status: number;
    responseHeaders: IncomingHttpHeaders;
    text: string;
  }>((resolve, reject) => {
    // `from` sends from another loopback address: to nginx (and so to the API) another client.
    const source = options.from === undefined ? {} : { localAddress: options.from };
    const outgoing = request(`${proxyBase}${path}`, { method, headers, agent, ...source }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk) => {
        text += chunk;
      });
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, responseHeaders: incoming.headers, text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
  const json = text !== '' && String(responseHeaders['content-type'] ?? '').includes('json');
  return {
    status,
    headers: responseHeaders,
    data: json ? JSON.parse(text) : undefined,
    get servedBy() {
      return instances.findIndex((instance) => instance.output().includes(`"reqId":"${id}"`));
    },
  };
}

/** Lets the instances' log lines of the requests just answered reach us. */
const logsSettle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('two instances behind nginx on one PostgreSQL database', () => {
  it('refuses, on the other instance, a token revoked through one', async () => {
    const email = `revoke-${randomUUID()}@example.com`;
    await send('POST', '/users', { body: { email, password: 'revoke password' }, as: null });
    const pair = (await send('POST', '/auth/tokens', { body: { email, password: 'revoke password' }, as: null })).data;
    const before = await Promise.all([0, 1, 2, 3].map(() => send('GET', '/users/me', { as: pair.accessToken })));
    expect(before.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const revoked = await send('POST', '/auth/tokens/revoke', {
      body: { refreshToken: pair.refreshToken },
      as: pair.accessToken,
    });
    expect(revoked.status).toBe(204);
    const after = await Promise.all([0, 1, 2, 3, 4, 5].map(() => send('GET', '/users/me', { as: pair.accessToken })));
    expect(after.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401]);
    // At least one refusal came from the instance that did not take the revocation.
    await logsSettle();
    expect(after.some((r) => r.servedBy === 1 - revoked.servedBy)).toBe(true);
  });

  it('lets exactly one of 20 concurrent PATCHes with the same If-Match win, across both instances', async () => {
    const created = await send('POST', '/stores', { body: { name: `If-Match ${randomUUID()}` } });
    expect(created.status).toBe(201);
    const path = new URL(created.headers.location ?? '').pathname;
    const etag = (await send('GET', path)).headers.etag ?? '';
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send('PATCH', path, { body: { name: `winner ${i} ${randomUUID()}` }, headers: { 'if-match': etag } }),
      ),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    await logsSettle();
    expect(new Set(attempts.map((r) => r.servedBy))).toEqual(new Set([0, 1]));
    const winner = attempts.find((r) => r.status === 200);
    expect((await send('GET', path)).data.name).toBe(winner?.data.name);
  });

  it('creates one row for 10 concurrent POSTs with one Idempotency-Key, every answer the same', async () => {
    const name = `Idempotent ${randomUUID()}`;
    const key = `"${randomUUID()}"`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        send('POST', '/stores', { body: { name }, headers: { 'idempotency-key': key } }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((r) => r.headers.location)).size).toBe(1);
    expect(new Set(answers.map((r) => JSON.stringify(r.data))).size).toBe(1);
    await logsSettle();
    expect(new Set(answers.map((r) => r.servedBy))).toEqual(new Set([0, 1]));
    const found = await send('GET', `/stores?q=${encodeURIComponent(name)}`);
    expect(found.data.stores).toHaveLength(1);
  });

  it("builds Location and next from the proxy's scheme and host, not the instance's or a client's claim", async () => {
    // nginx replaces forwarded headers a client sends with what it saw itself: plain http, this Host.
    const host = 'api.example.test:8443';
    const headers = { host, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' };
    const created = await send('POST', '/stores', { body: { name: `Located ${randomUUID()}` }, headers });
    expect(created.status).toBe(201);
    expect(created.headers.location).toMatch(/^http:\/\/api\.example\.test:8443\/stores\/[0-9a-f-]{36}$/);
    const page = await send('GET', '/stores?limit=1', { headers });
    expect(page.data.next).toMatch(/^http:\/\/api\.example\.test:8443\/stores\?/);
    const direct = await send('GET', '/stores?limit=1');
    expect(direct.data.next).toMatch(/^http:\/\/127\.0\.0\.1:24080\/stores\?/);
  });

  it('lets one client sign in 20 times a minute in total across both instances, not 20 on each', async () => {
    const email = `limited-${randomUUID()}@example.com`;
    const password = 'limited password';
    expect((await send('POST', '/users', { body: { email, password }, as: null })).status).toBe(201);
    // A client of its own (the other sign-ins of this file come from 127.0.0.1), signing in one after another
    // with the right password, so that only the per-client limit can refuse it.
    const client = '127.0.0.22';
    const answers: Sent[] = [];
    for (let i = 0; i < 40; i++) {
      answers.push(await send('POST', '/auth/tokens', { body: { email, password }, as: null, from: client }));
    }
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual(Array(20).fill(429));
    for (const refused of answers.slice(20)) {
      expect(refused.data).toMatchObject({ status: 429, type: '/problems/rate-limited' });
      expect(refused.headers['ratelimit-limit']).toBe('20');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    // Both instances signed the client in, and both refused it: one count, not one per instance.
    await logsSettle();
    expect(new Set(answers.slice(0, 20).map((r) => r.servedBy))).toEqual(new Set([0, 1]));
    expect(new Set(answers.slice(20).map((r) => r.servedBy))).toEqual(new Set([0, 1]));
    // Another client is not held back by this one.
    expect((await send('POST', '/auth/tokens', { body: { email, password }, as: null })).status).toBe(200);
  });

  it('loses no acknowledged write when an instance is killed mid-run, and keeps serving from the other', async () => {
    const acknowledged: string[] = [];
    const refused: number[] = [];
    let killed = false;
    const writer = async (worker: number) => {
      for (let i = 0; i < 40; i++) {
        const created = await send('POST', '/stores', { body: { name: `Survivor ${worker}-${i} ${randomUUID()}` } });
        if (created.status === 201) acknowledged.push(created.data.id);
        else refused.push(created.status);
        if (!killed && acknowledged.length >= 40) {
          killed = true;
          void instances[0]?.stop('SIGKILL');
        }
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5].map(writer));
    expect(killed).toBe(true);
    // Writes in flight on the killed instance may fail (503 from the proxy: not acknowledged); nothing else.
    expect(refused.every((status) => status === 503)).toBe(true);
    expect(acknowledged.length).toBeGreaterThan(200);
    const reads = await Promise.all(acknowledged.map((id) => send('GET', `/stores/${id}`)));
    expect(reads.filter((r) => r.status !== 200)).toEqual([]);
    await logsSettle();
    expect(reads.filter((r) => r.servedBy === 0)).toEqual([]);
    console.info(`kill test: ${acknowledged.length} writes acknowledged and all found; ${refused.length} refused`);
  });
});
