import { existsSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ServerProcess, scratchDatabase, startServer } from '../helpers/server-process.js';

// A slow request is an honest one: a client that uploads its body slowly. Its headers reach the server before
// SIGTERM and the rest of its body after, so it is in flight throughout the shutdown.

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let database: string;
let server: ServerProcess | undefined;
beforeEach(async () => {
  scratch = await scratchDatabase('shutdown');
  database = scratch.database;
});
afterEach(async () => {
  await server?.stop('SIGKILL');
  await scratch.remove();
});

async function signIn(base: string): Promise<string> {
  const response = await fetch(`${base}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@example.com', password: 'demo-password' }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** Starts `POST /stores` and sends the first half of its body; the returned function sends the rest. */
function slowCreateStore(base: string, token: string, name: string) {
  const body = Buffer.from(JSON.stringify({ name }));
  const half = Math.floor(body.length / 2);
  const url = new URL('/stores', base);
  let answered: (value: { status: number; body: string }) => void;
  const answer = new Promise<{ status: number; body: string }>((resolve) => {
    answered = resolve;
  });
  const request = httpRequest(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${token}` },
    },
    (response: IncomingMessage) => {
      let text = '';
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () => answered({ status: response.statusCode ?? 0, body: text }));
    },
  );
  request.on('error', (error) => answered({ status: -1, body: String(error) }));
  request.write(body.subarray(0, half));
  return { answer, finish: () => request.end(body.subarray(half)) };
}

const exitOf = (s: ServerProcess) =>
  new Promise<number | null>((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) resolve(s.child.exitCode);
    else s.child.once('exit', resolve);
  });

async function waitFor(s: ServerProcess, text: string): Promise<void> {
  for (let i = 0; i < 200 && !s.output().includes(text); i++) await new Promise((r) => setTimeout(r, 25));
  expect(s.output()).toContain(text);
}

describe('on SIGTERM', () => {
  it('turns readiness 503 at once, stops accepting, answers the request in flight, closes the database, exits 0', async () => {
    const started = await startServer({
      DATABASE_URL: database,
      NODE_ENV: 'development',
      SHUTDOWN_DELAY: '1000',
      SHUTDOWN_TIMEOUT: '10000',
    });
    server = started;
    const token = await signIn(started.base);
    const slow = slowCreateStore(started.base, token, 'Uploaded slowly');
    await new Promise((r) => setTimeout(r, 300));
    const exited = exitOf(started);
    started.child.kill('SIGTERM');

    await waitFor(started, 'readiness now answers 503');
    const ready = await fetch(`${started.base}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(ready.headers.get('retry-after')).toBe('5');
    expect(await ready.json()).toMatchObject({
      type: '/problems/unavailable',
      detail: 'This instance is shutting down.',
    });
    // While load balancers take the instance out, requests are still served.
    expect((await fetch(`${started.base}/stores`)).status).toBe(200);

    await waitFor(started, 'listener closing');
    await expect(fetch(`${started.base}/healthz`)).rejects.toThrow();

    slow.finish();
    const answer = await slow.answer;
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ name: 'Uploaded slowly' });
    expect(await exited).toBe(0);
    expect(started.output()).toContain('requests finished and database closed');
    expect(started.output()).not.toContain('response breaks the OpenAPI contract');
    // Closing the last connection checkpoints the write-ahead log into the database file and removes it.
    expect(existsSync(`${database}-wal`)).toBe(false);
    const sqlite = new SQLite(database, { readonly: true });
    expect(sqlite.prepare('select count(*) as n from stores where name = ?').get('Uploaded slowly')).toEqual({ n: 1 });
    sqlite.close();
  }, 60_000);

  it('exits 1 once requests in flight outlive SHUTDOWN_TIMEOUT', async () => {
    const started = await startServer({ DATABASE_URL: database, NODE_ENV: 'development', SHUTDOWN_TIMEOUT: '500' });
    server = started;
    const token = await signIn(started.base);
    const stuck = slowCreateStore(started.base, token, 'Never finished');
    await new Promise((r) => setTimeout(r, 300));
    const exited = exitOf(started);
    const signalled = performance.now();
    started.child.kill('SIGTERM');
    expect(await exited).toBe(1);
    const took = performance.now() - signalled;
    console.log('shutdown figures', JSON.stringify({ timeoutMs: 500, exitedAfterMs: Math.round(took) }));
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(5000);
    expect(started.output()).toContain('requests in flight did not finish in time');
    expect((await stuck.answer).status).toBe(-1);
  }, 60_000);
});
