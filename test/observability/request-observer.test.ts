import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { Lifecycle } from '../../src/health/lifecycle.js';
import { registry } from '../../src/observability/metrics.js';
import { testDatabaseUrl } from '../helpers/fresh-database.js';
import { createTestApp } from '../helpers/test-app.js';

/** The value of one sample of the process's registry (the one /metrics serves), 0 when absent. */
async function sample(name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  const values = (await metric?.get())?.values ?? [];
  const found = values.find((v) => Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l));
  return found?.value ?? 0;
}

describe('the access log', () => {
  it('is one line per request, with operationId, status, duration, request id and principal id', async () => {
    const t = await createTestApp();
    const before = t.logs.length;
    const created = await t.request({ method: 'POST', url: '/stores', payload: { name: 'Logged once' } });
    expect(created.statusCode).toBe(201);
    const read = await t.request({ method: 'GET', url: created.headers.location as string, as: null });
    expect(read.statusCode).toBe(200);
    await t.close();

    const lines = t.logs.slice(before);
    expect(lines).toHaveLength(2);
    const [create, get] = lines;
    expect(create).toMatchObject({
      level: 30,
      msg: 'request',
      operationId: 'createStore',
      statusCode: 201,
      reqId: created.headers['x-request-id'],
      principalId: t.user.id,
      req: { method: 'POST', url: '/stores' },
    });
    expect(typeof create?.durationMs).toBe('number');
    expect(get).toMatchObject({ msg: 'request', operationId: 'getStore', statusCode: 200 });
    // Nobody signed in: no principal.
    expect(get).not.toHaveProperty('principalId');
  });

  it('has its line for an answer given before the handler, and for a path that names no operation', async () => {
    const t = await createTestApp();
    const before = t.logs.length;
    const refused = await t.request({
      method: 'GET',
      url: '/stores',
      payload: 'x',
      headers: { 'content-type': 'text/plain' },
      as: null,
    });
    expect(refused.statusCode).toBe(400);
    const unknown = await t.request({ method: 'GET', url: '/no-such-thing', as: null });
    expect(unknown.statusCode).toBe(404);
    await t.close();
    expect(t.logs.slice(before)).toMatchObject([
      { msg: 'request', operationId: 'listStores', statusCode: 400 },
      { msg: 'request', operationId: 'unmatched', statusCode: 404 },
    ]);
  });

  it('is written at info, production’s default level, and not at warn', async () => {
    const t = await createTestApp({ LOG_LEVEL: 'warn' });
    const before = t.logs.length;
    await t.request({ method: 'GET', url: '/stores', as: null });
    await t.close();
    expect(t.logs.slice(before).filter((line) => line.msg === 'request')).toEqual([]);
    expect(loadConfig({}).logLevel).toBe('info');
  });
});

describe('refusals in the metrics', () => {
  it('counts 429s by operationId', async () => {
    const t = await createTestApp();
    const labels = { operation_id: 'createToken' };
    const before = await sample('stores_api_rate_limited_total', labels);
    let limited = 0;
    for (let i = 0; i < 22; i++) {
      const answer = await t.request({
        method: 'POST',
        url: '/auth/tokens',
        payload: { email: 'nobody@example.com', password: 'not the password' },
        as: null,
      });
      if (answer.statusCode === 429) limited++;
    }
    await t.close();
    expect(limited).toBeGreaterThan(0);
    expect((await sample('stores_api_rate_limited_total', labels)) - before).toBe(limited);
  });

  it('counts load shedding by reason', async () => {
    const config = loadConfig({ DATABASE_URL: ':memory:', OVERLOAD_MAX_EVENT_LOOP_DELAY: '0' });
    const db = createDatabase(config.databaseUrl);
    await migrateToLatest(db);
    const lifecycle = new Lifecycle();
    const app = await buildApp(config, { db, lifecycle, logStream: { write: () => {} } });
    lifecycle.state = 'starting';
    const before = await sample('stores_api_load_shed_total', { reason: 'starting' });
    expect((await app.inject({ url: '/stores' })).statusCode).toBe(503);
    expect((await app.inject({ url: '/stores' })).statusCode).toBe(503);
    await app.close();
    await db.destroy();
    expect((await sample('stores_api_load_shed_total', { reason: 'starting' })) - before).toBe(2);
  });
});

describe('database metrics', () => {
  it('counts and times each statement by system and kind', async () => {
    const labels = {
      system: testDatabaseUrl === undefined ? 'sqlite' : 'postgresql',
      statement: 'select',
      outcome: 'ok',
    };
    const t = await createTestApp();
    const [count, seconds] = [
      await sample('stores_api_db_statements_total', labels),
      await sample('stores_api_db_statement_seconds_total', labels),
    ];
    expect((await t.request({ method: 'GET', url: '/stores', as: null })).statusCode).toBe(200);
    expect(await sample('stores_api_db_statements_total', labels)).toBeGreaterThan(count);
    expect(await sample('stores_api_db_statement_seconds_total', labels)).toBeGreaterThan(seconds);
    await t.close();
  });

  it.runIf(testDatabaseUrl !== undefined)('reports the PostgreSQL pool', async () => {
    const t = await createTestApp();
    expect((await t.request({ method: 'GET', url: '/stores', as: null })).statusCode).toBe(200);
    expect(await sample('stores_api_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    await t.close();
  });
});
