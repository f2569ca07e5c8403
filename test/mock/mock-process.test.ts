import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../helpers/server-process.js';

// `npm run mock` as a process on a real socket: it listens, answers from the spec's examples with links on its
// own origin, and stops cleanly on SIGTERM.
let mock: ServerProcess;
beforeAll(async () => {
  mock = await startServer({}, 'src/mock/server.ts');
}, 60_000);
afterAll(async () => {
  await mock?.stop('SIGKILL');
});

describe('the mock server process', () => {
  it('answers the seed text’s store from the spec, and a created item with a Location on itself', async () => {
    const list = await fetch(`${mock.base}/stores`);
    expect(list.status).toBe(200);
    const body = (await list.json()) as { stores: unknown[] };
    expect(body.stores[0]).toMatchObject({ name: 'My Store', items: [{ name: 'my item', price: 15.99 }] });
    const created = await fetch(`${mock.base}/items`, {
      method: 'POST',
      headers: { authorization: 'Bearer any.token.here', 'content-type': 'application/json' },
      body: JSON.stringify({ storeId: 's1', name: 'my item', price: 15.99 }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(new RegExp(`^${mock.base}/items/`));
    expect(mock.output()).not.toContain('response breaks the OpenAPI contract');
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await mock.stop('SIGTERM')).toBe(0);
  });
});
