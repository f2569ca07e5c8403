import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real process as `npm start` runs it, on a real socket and a new SQLite file: it migrates, loads the demo
// catalogue, serves the docs and the seed text's store, checks its own responses (strict), and stops cleanly.
const root = new URL('../../', import.meta.url).pathname;
const port = 39_000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
let folder: string;
let server: ChildProcess;
let output = '';

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'stores-api-server-'));
  server = spawn(join(root, 'node_modules/.bin/tsx'), ['src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: join(folder, 'nested', 'stores.db'),
      RESPONSE_VALIDATION: 'strict',
      PASSWORD_HASH_COST: '10',
      LOG_LEVEL: 'info',
    },
  });
  server.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  server.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  for (let i = 0; i < 100 && !output.includes('Server listening'); i++) await new Promise((r) => setTimeout(r, 100));
  expect(output).toContain('Server listening');
});

afterAll(async () => {
  if (server.exitCode === null) server.kill('SIGKILL');
  await rm(folder, { recursive: true, force: true });
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

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).not.toContain('response breaks the OpenAPI contract');
  });
});
