import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noShedding, type ServerProcess, scratchDatabase, startServer } from '../helpers/server-process.js';

// Two instances of the API on one SQLite file, as two processes behind a load balancer would be: their writes
// contend for the one write lock. Nobody may get a 500 for it, and a race for a name has exactly one winner.

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let servers: ServerProcess[] = [];
let token: string;
let storeId: string;
beforeAll(async () => {
  scratch = await scratchDatabase('writers');
  const env = { DATABASE_URL: scratch.database, SEED_DEMO_DATA: 'false', ...noShedding };
  const first = await startServer(env);
  servers = [first, await startServer(env)];
  const credentials = { email: 'writers@example.com', password: 'writers password' };
  expect((await post(first.base, '/users', credentials)).status).toBe(201);
  token = String((await post(first.base, '/auth/tokens', credentials)).body.accessToken);
  storeId = String((await post(first.base, '/stores', { name: 'Writers' }, token)).body.id);
}, 90_000);
afterAll(async () => {
  for (const server of servers) expect(await server.stop('SIGTERM')).toBe(0);
  await scratch.remove();
});

async function send(base: string, method: string, path: string, body: unknown, auth?: string) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
      ...(auth && { authorization: `Bearer ${auth}` }),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}
const post = (base: string, path: string, body: unknown, auth?: string) => send(base, 'POST', path, body, auth);

const tally = (statuses: number[]) =>
  Object.fromEntries([...new Set(statuses)].sort().map((s) => [s, statuses.filter((t) => t === s).length]));

describe('many clients writing at once, through two instances on one database', () => {
  it('never get a 500: every create and update succeeds', async () => {
    const clients = 32;
    const each = 8;
    const started = performance.now();
    const statuses = (
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          const base = servers[c % 2]?.base ?? '';
          const seen: number[] = [];
          for (let i = 0; i < each; i++) {
            const created = await post(base, '/items', { storeId, name: `client ${c} item ${i}`, price: 1 }, token);
            seen.push(created.status);
            const id = String(created.body.id);
            seen.push((await send(base, 'PATCH', `/items/${id}`, { price: 2 }, token)).status);
          }
          return seen;
        }),
      )
    ).flat();
    console.log(
      'concurrent writers figures',
      JSON.stringify({
        clients,
        writes: statuses.length,
        statuses: tally(statuses),
        ms: Math.round(performance.now() - started),
      }),
    );
    expect(tally(statuses)).toEqual({ 200: clients * each, 201: clients * each });
  }, 120_000);

  it.each([
    ['a store name', () => '/stores', (n: string) => ({ name: n })],
    ['an item name in one store', () => '/items', (n: string) => ({ storeId, name: n, price: 5 })],
    ['a tag name in one store', () => '/tags', (n: string) => ({ storeId, name: n })],
  ])(
    'race for %s: exactly one 201, every other 409',
    async (_what, path, body) => {
      const racers = 40;
      const name = `Raced ${Math.random()}`;
      const statuses = await Promise.all(
        Array.from({ length: racers }, (_, r) =>
          post(servers[r % 2]?.base ?? '', path(), body(name), token).then((a) => a.status),
        ),
      );
      expect(tally(statuses)).toEqual({ 201: 1, 409: racers - 1 });
    },
    60_000,
  );

  it('race to register one e-mail address, in any letter case: exactly one 201', async () => {
    // 19 racers: with the set-up's registration, the 20 a minute this client may register on both instances together.
    const statuses = await Promise.all(
      Array.from({ length: 19 }, (_, r) =>
        post(servers[r % 2]?.base ?? '', '/users', {
          email: r % 3 === 0 ? 'Racer@Example.com' : 'racer@example.com',
          password: 'racing password',
        }).then((a) => a.status),
      ),
    );
    expect(tally(statuses)).toEqual({ 201: 1, 409: 18 });
  }, 60_000);
});
