import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noShedding, type ServerProcess, startServer } from '../helpers/server-process.js';

// The real process as `npm run dev` runs it (NODE_ENV=development, the one environment with demo data), on a real
// socket and a new SQLite file: it migrates, loads the demo catalogue, serves the docs and the seed text's store,
// checks its own responses (strict), and stops cleanly.
let server: ServerProcess;
let base: string;

beforeAll(async () => {
  // Other test files run beside this one: load shedding (tested on its own) would refuse some requests.
  server = await startServer({ NODE_ENV: 'development', ...noShedding });
  base = server.base;
  expect(server.output()).toContain('Server listening');
});

afterAll(async () => {
  await server.stop('SIGKILL');
});

describe('the server process', () => {
  it('serves the seed text’s store with its item on a fresh database', async () => {
    const response = await fetch(`${base}/stores?include=items&q=My%20Store`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { stores: unknown[] };
    expect(body.stores).toEqual([
      expect.objectContaining({
        name: 'My Store',
        items: [expect.objectContaining({ name: 'my item', price: 15.99 })],
      }),
    ]);
  });

  it('serves Swagger UI at /docs and the spec at /openapi.json', async () => {
    const docs = await fetch(`${base}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
    const spec = await fetch(`${base}/openapi.json`);
    expect(((await spec.json()) as { info: { title: string } }).info.title).toBe('Stores API');
  });

  it('lets the demo user sign in and create a store, with Location built from the Host it was called by', async () => {
    const signIn = await fetch(`${base}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@example.com', password: 'demo-password' }),
    });
    expect(signIn.status).toBe(200);
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    const created = await fetch(`${base}/stores`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ name: 'Socket Store' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(new RegExp(`^${base}/stores/`));
    const missing = await fetch(`${base}/stores/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('tells a person, in one line, where the docs are and how to sign in to the demo data', () => {
    expect(server.output()).toContain(
      `Stores API listening on ${base}: docs at ${base}/docs, demo data loaded; sign in as demo@example.com / demo-password`,
    );
  });

  it.each([
    ['a request line that is not HTTP', 'GET /stores HTTP/9.9 x\r\n\r\n', 400, '/problems/malformed-request'],
    [
      'a header line that cannot be read',
      'GET /stores HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      400,
      '/problems/malformed-request',
    ],
    [
      'headers over 16 KiB',
      `GET /stores HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`,
      431,
      '/problems/headers-too-large',
    ],
  ])("answers %s, which Node's parser refuses, as problem+json", async (_name, raw, status, type) => {
    const answer = await rawExchange(raw);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head.toLowerCase()).toContain('content-type: application/problem+json');
    expect(head.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(body)).toMatchObject({ status, type });
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.output()).not.toContain('response breaks the OpenAPI contract');
  });
});

/** Sends bytes as they are on a new connection and reads all the server answers until it closes. */
function rawExchange(raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const socket = connect(Number(url.port), url.hostname, () => socket.write(raw));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in 10 s')));
  });
}
