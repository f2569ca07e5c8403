import { createStoresClient, cursorOf, type StoresClient } from 'stores-api/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../helpers/server-process.js';

// The typed client (`stores-api/client`) against the real server process on a loopback socket, through the
// scenario every SDK runs: register, sign in, create a store, an item at 15.99, tag it, list by tag, page,
// a 404 as a typed problem, delete. The server checks each of its own responses against the spec (strict).

let server: ServerProcess;
let client: StoresClient;
let token: string | undefined;
beforeAll(async () => {
  server = await startServer({ SEED_DEMO_DATA: 'false' });
  client = createStoresClient({ baseUrl: server.base, accessToken: () => token });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  expect(server.output()).not.toContain('response breaks the OpenAPI contract');
});

describe('the TypeScript client against a listening server', () => {
  it('runs the whole scenario with typed answers and typed errors', async () => {
    const credentials = { email: 'client@example.com', password: 'correct horse battery staple' };
    const registered = await client.POST('/users', { body: credentials });
    expect(registered.response.status).toBe(201);
    expect(registered.data?.email).toBe(credentials.email);

    const signedIn = await client.POST('/auth/tokens', { body: credentials });
    expect(signedIn.data?.tokenType).toBe('Bearer');
    token = signedIn.data?.accessToken;

    const me = await client.GET('/users/me');
    expect(me.data?.id).toBe(registered.data?.id);

    const store = await client.POST('/stores', { body: { name: 'My Store' } });
    expect(store.response.status).toBe(201);
    const storeId = store.data?.id ?? '';
    expect(store.response.headers.get('location')).toBe(`${server.base}/stores/${storeId}`);

    const item = await client.POST('/items', { body: { storeId, name: 'my item', price: 15.99 } });
    expect(item.data).toMatchObject({ name: 'my item', price: 15.99, description: null, tags: [] });
    const itemId = item.data?.id ?? '';

    const tag = await client.POST('/tags', { body: { storeId, name: 'sale' } });
    const tagId = tag.data?.id ?? '';
    const tagged = await client.PUT('/items/{itemId}/tags/{tagId}', { params: { path: { itemId, tagId } } });
    expect(tagged.data?.tags).toEqual([{ id: tagId, name: 'sale' }]);

    for (const name of ['second item', 'third item']) {
      const more = await client.POST('/items', { body: { storeId, name, price: 1 } });
      expect(more.response.status).toBe(201);
    }
    const byTag = await client.GET('/items', { params: { query: { tagId } } });
    expect(byTag.data?.items.map((i) => i.price)).toEqual([15.99]);

    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.GET('/items', {
        params: { query: { storeId, limit: 2, ...(cursor !== undefined && { cursor }) } },
      });
      expect(page.response.status).toBe(200);
      names.push(...(page.data?.items.map((i) => i.name) ?? []));
      cursor = cursorOf(page.data?.next);
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(2);
    expect(names).toEqual(['my item', 'second item', 'third item']);

    const patched = await client.PATCH('/items/{itemId}', {
      params: { path: { itemId } },
      body: { description: 'Hand-made.' },
    });
    expect(patched.data?.description).toBe('Hand-made.');

    const missing = await client.GET('/stores/{storeId}', {
      params: { path: { storeId: '01936d3e-0000-7000-8000-000000000000' } },
    });
    expect(missing.data).toBeUndefined();
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ type: '/problems/not-found', status: 404 });

    const deleted = await client.DELETE('/items/{itemId}', { params: { path: { itemId } } });
    expect(deleted.response.status).toBe(204);
    const gone = await client.GET('/items/{itemId}', { params: { path: { itemId } } });
    expect(gone.error?.status).toBe(404);
    expect((await client.DELETE('/stores/{storeId}', { params: { path: { storeId } } })).response.status).toBe(204);
  }, 60_000);

  it('gets a typed 401 problem without a token', async () => {
    const anonymous = createStoresClient({ baseUrl: server.base });
    const refused = await anonymous.POST('/stores', { body: { name: 'Nobody' } });
    expect(refused.response.status).toBe(401);
    expect(refused.error?.type).toBe('/problems/unauthorized');
  });
});
