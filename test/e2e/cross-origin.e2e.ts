import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverErrors } from '../../scripts/consumer/tools.js';
import { launchChromium } from '../helpers/browser.js';
import { freePort, type ServerProcess, startServer } from '../helpers/server-process.js';

// A browser app on another origin, as a real one runs: Chromium loads a page from a second local origin that is
// in CORS_ORIGINS, and the page drives the API with fetch(), preflights and all. A page from a third origin, not
// on the list, must not be able to read anything.
let api: ServerProcess;
let allowedSite: Site;
let otherSite: Site;
let browser: Browser;

interface Site {
  origin: string;
  server: Server;
}

async function site(): Promise<Site> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>app</title>');
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${port}`, server };
}

beforeAll(async () => {
  allowedSite = await site();
  otherSite = await site();
  api = await startServer({ LOG_LEVEL: 'warn', SEED_DEMO_DATA: 'false', CORS_ORIGINS: allowedSite.origin });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  for (const s of [allowedSite, otherSite]) s?.server.close();
});

async function pageOn(origin: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  return page;
}

describe('a browser app on an allowed origin', () => {
  it('runs the whole scenario with fetch(): reads ETag and Location, revalidates, patches with If-Match, deletes, signs out', async () => {
    const page = await pageOn(allowedSite.origin);
    const steps = await page.evaluate(async (base) => {
      const log: Record<string, unknown> = {};
      const json = { 'content-type': 'application/json' };
      // No browser cache between the steps: each revalidation below is the page's own.
      const call = (path: string, init: RequestInit = {}) =>
        fetch(`${base}${path}`, { cache: 'no-store', ...init } as RequestInit);
      const email = `browser-${Date.now()}@example.com`;
      const password = 'lantern orchard velvet compass';
      const registered = await call('/users', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email, password }),
      });
      log.register = registered.status;
      const signedIn = await call('/auth/tokens', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email, password }),
      });
      log.signIn = signedIn.status;
      const tokens = (await signedIn.json()) as { accessToken: string; refreshToken: string };
      const auth = { authorization: `Bearer ${tokens.accessToken}` };
      const store = await call('/stores', {
        method: 'POST',
        headers: { ...json, ...auth },
        body: JSON.stringify({ name: `Browser store ${Date.now()}` }),
      });
      log.createStore = store.status;
      log.storeLocation = store.headers.get('location');
      const storeId = ((await store.json()) as { id: string }).id;
      const item = await call('/items', {
        method: 'POST',
        headers: { ...json, ...auth },
        body: JSON.stringify({ storeId, name: 'chair', price: 15.99 }),
      });
      log.createItem = item.status;
      log.itemLocation = item.headers.get('location');
      const created = (await item.json()) as { id: string; price: number };
      log.price = created.price;
      const read = await call(`/items/${created.id}`);
      log.read = read.status;
      const etag = read.headers.get('etag');
      log.etag = etag;
      log.requestId = read.headers.get('x-request-id');
      const revalidated = await call(`/items/${created.id}`, { headers: { 'if-none-match': String(etag) } });
      log.revalidate = revalidated.status;
      const patched = await call(`/items/${created.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json', 'if-match': String(etag), ...auth },
        body: JSON.stringify({ price: 12.5 }),
      });
      log.patch = patched.status;
      log.patchedPrice = ((await patched.json()) as { price: number }).price;
      const stale = await call(`/items/${created.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json', 'if-match': String(etag), ...auth },
        body: JSON.stringify({ price: 1 }),
      });
      log.stalePatch = stale.status;
      log.deleteItem = (await call(`/items/${created.id}`, { method: 'DELETE', headers: auth })).status;
      log.deleteStore = (await call(`/stores/${storeId}`, { method: 'DELETE', headers: auth })).status;
      const signOut = await call('/auth/tokens/revoke', {
        method: 'POST',
        headers: { ...json, ...auth },
        body: JSON.stringify({ refreshToken: tokens.refreshToken }),
      });
      log.signOut = signOut.status;
      const refresh = await call('/auth/tokens/refresh', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ refreshToken: tokens.refreshToken }),
      });
      log.refreshAfterSignOut = refresh.status;
      return log;
    }, api.base);

    expect(steps).toMatchObject({
      register: 201,
      signIn: 200,
      createStore: 201,
      createItem: 201,
      price: 15.99,
      read: 200,
      revalidate: 304,
      patch: 200,
      patchedPrice: 12.5,
      stalePatch: 412,
      deleteItem: 204,
      deleteStore: 204,
      signOut: 204,
      refreshAfterSignOut: 401,
    });
    expect(steps.storeLocation).toMatch(new RegExp(`^${api.base}/stores/`));
    expect(steps.itemLocation).toMatch(new RegExp(`^${api.base}/items/`));
    expect(steps.etag).toMatch(/^"/);
    expect(steps.requestId).toBeTruthy();
    await page.close();
  });
});

describe('a page from an origin not on the list', () => {
  it('cannot read a public list, nor send a change', async () => {
    const page = await pageOn(otherSite.origin);
    const outcome = await page.evaluate(async (base) => {
      const attempt = async (init?: RequestInit) => {
        try {
          const response = await fetch(`${base}/stores`, init);
          return `read ${response.status}`;
        } catch (error) {
          return `refused: ${(error as Error).name}`;
        }
      };
      return {
        read: await attempt(),
        change: await attempt({
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"name":"x"}',
        }),
      };
    }, api.base);
    expect(outcome).toEqual({ read: 'refused: TypeError', change: 'refused: TypeError' });
    await page.close();
  });
});

describe('the server', () => {
  it('sent every answer above as the spec declares it (strict response checking logged no breach)', () => {
    expect(serverErrors(api.output())).toEqual([]);
  });
});
