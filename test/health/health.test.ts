import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('checkLiveness', () => {
  it('answers 200 never to be cached, without asking the database', async () => {
    await sql`drop table item_tags`.execute(t.db);
    const response = await t.request({ method: 'GET', url: '/healthz', as: null });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.data).toEqual({ status: 'ok' });
  });
});

describe('checkReadiness', () => {
  it('answers 200 when the database answers and every migration is applied', async () => {
    const response = await t.request({ method: 'GET', url: '/readyz', as: null });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.data).toEqual({ status: 'ready' });
  });

  it('answers 503 naming the migration that is not applied', async () => {
    await sql`delete from kysely_migration where name = ${'20261124T010000-users'}`.execute(t.db);
    const response = await t.request({ method: 'GET', url: '/readyz', as: null });
    expect(response.statusCode).toBe(503);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.data).toMatchObject({
      type: '/problems/unavailable',
      status: 503,
      detail: 'Migrations are not applied yet: 20261124T010000-users.',
    });
  });

  it('answers 503, not 500, when the database does not answer', async () => {
    await t.db.destroy();
    const response = await t.request({ method: 'GET', url: '/readyz', as: null });
    expect(response.statusCode).toBe(503);
    expect(response.data.detail).toBe('The database does not answer.');
  });
});
