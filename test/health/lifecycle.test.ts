import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { Lifecycle } from '../../src/health/lifecycle.js';

// The process moves the lifecycle on SIGTERM (test/reliability/graceful-shutdown.test.ts drives that end to
// end); here each state is set by hand to show what a request meets in it, on a keep-alive connection that
// outlives the listener included.

const logs: Record<string, unknown>[] = [];
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  expect(logs.filter((l) => l.msg === 'response breaks the OpenAPI contract')).toEqual([]);
});

async function appIn(state: Lifecycle['state']) {
  const config = loadConfig({
    DATABASE_URL: ':memory:',
    RESPONSE_VALIDATION: 'strict',
    OVERLOAD_RETRY_AFTER: '7',
    OVERLOAD_MAX_EVENT_LOOP_DELAY: '0',
  });
  const db = createDatabase(config.databaseUrl);
  await migrateToLatest(db);
  const lifecycle = new Lifecycle();
  const app = await buildApp(config, { db, lifecycle, logStream: { write: (line) => logs.push(JSON.parse(line)) } });
  close = async () => {
    await app.close();
    await db.destroy();
  };
  lifecycle.state = state;
  return app;
}

describe('the instance lifecycle', () => {
  it('starting: alive, but not ready, and every operation is a 503 with Retry-After until the database is', async () => {
    const app = await appIn('starting');
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().detail).toMatch(/starting/);
    const operation = await app.inject({ url: '/stores' });
    expect(operation.statusCode).toBe(503);
    expect(operation.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(operation.headers['retry-after']).toBe('5');
  });

  it('serving: ready, and every operation is served', async () => {
    const app = await appIn('serving');
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/stores' })).statusCode).toBe(200);
  });

  it('draining: readiness says 503 so load balancers stop sending, but requests are still served', async () => {
    const app = await appIn('draining');
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect((await app.inject({ url: '/stores' })).statusCode).toBe(200);
  });

  it('closing: a request that still arrives gets a 503 problem with Retry-After and Connection: close', async () => {
    const app = await appIn('closing');
    for (const url of ['/stores', '/healthz']) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['retry-after']).toBe('7');
      expect(response.headers.connection).toBe('close');
      expect(response.json()).toMatchObject({ status: 503, detail: expect.stringContaining('shutting down') });
    }
  });
});
