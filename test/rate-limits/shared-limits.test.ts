import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type Db } from '../../src/db/database.js';
import { countRequest, purgeEnded, readCount } from '../../src/rate-limits/repository.js';
import { testDatabaseUrl } from '../helpers/fresh-database.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Per-client rate limits are counted in the database (`rate_limit_windows`), so every instance on it shares them.
// Runs on SQLite under `npm test` and on PostgreSQL under `npm run test:pg`.
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('counting in the database', () => {
  it('counts each request in its window and says how long the window has left', async () => {
    const counts = [];
    for (let i = 0; i < 5; i++) counts.push(await countRequest(t.db, 'createToken|192.0.2.1', 60_000));
    expect(counts.map((c) => c.hits)).toEqual([1, 2, 3, 4, 5]);
    for (const { ttlMs } of counts) {
      expect(ttlMs).toBeGreaterThan(55_000);
      expect(ttlMs).toBeLessThanOrEqual(60_000);
    }
    // The window starts with the first request and does not move with later ones.
    expect(counts[4]?.ttlMs).toBeLessThanOrEqual(counts[0]?.ttlMs ?? 0);
    expect(await readCount(t.db, 'createToken|192.0.2.1')).toMatchObject({ hits: 5 });
    // Another client, or another limit, has its own count.
    expect((await countRequest(t.db, 'createToken|192.0.2.2', 60_000)).hits).toBe(1);
    expect((await countRequest(t.db, 'registerUser|192.0.2.1', 60_000)).hits).toBe(1);
  });

  it('starts again at 1 once the window has ended, and the purge deletes only ended windows', async () => {
    for (let i = 0; i < 3; i++) await countRequest(t.db, 'short', 300);
    await countRequest(t.db, 'long', 60_000);
    await sleep(400);
    expect(await readCount(t.db, 'short')).toEqual({ hits: 0, ttlMs: 0 });
    expect(await purgeEnded(t.db)).toBe(1);
    expect(await readCount(t.db, 'long')).toMatchObject({ hits: 1 });
    await countRequest(t.db, 'short', 300);
    await sleep(400);
    // An ended window still in the table (not yet purged) starts again too.
    const again = await countRequest(t.db, 'short', 60_000);
    expect(again.hits).toBe(1);
    expect(again.ttlMs).toBeGreaterThan(55_000);
  });

  it('gives 40 concurrent requests from two connections the counts 1 to 40, each exactly once', async () => {
    // A second connection to the same database stands for a second instance (SQLite in memory has only one).
    const other = testDatabaseUrl ? createDatabase(await schemaUrlOf(t.db)) : t.db;
    try {
      const counted = await Promise.all(
        Array.from({ length: 40 }, (_, i) => countRequest(i % 2 === 0 ? t.db : other, 'race', 60_000)),
      );
      expect(counted.map((c) => c.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect((await readCount(t.db, 'race')).hits).toBe(40);
    } finally {
      if (other !== t.db) await other.destroy();
    }
  });
});

describe('two instances on one database', () => {
  it('share a client’s sign-in limit: 10 on each, then the 21st is refused by either', async () => {
    const second = await buildApp(testConfig(), { db: t.db });
    try {
      const signIn = (app: typeof second, i: number) =>
        app.inject({
          method: 'POST',
          url: '/auth/tokens',
          remoteAddress: '198.51.100.7',
          payload: { email: t.user.email, password: t.user.password },
          headers: { 'x-request-id': `shared-${i}` },
        });
      const answers = [];
      for (let i = 0; i < 20; i++) answers.push(await signIn(i % 2 === 0 ? t.app : second, i));
      expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
      for (const app of [t.app, second]) {
        const refused = await signIn(app, 99);
        expect(refused.statusCode).toBe(429);
        expect(refused.headers['ratelimit-limit']).toBe('20');
        expect(refused.headers['ratelimit-remaining']).toBe('0');
        const retryAfter = Number(refused.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(50);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(refused.headers['ratelimit-reset']).toBe(String(retryAfter));
        expect(JSON.parse(refused.body)).toMatchObject({ status: 429, type: '/problems/rate-limited' });
      }
      // 20 allowed and 2 refused, all counted once, in one row.
      expect(await readCount(t.db, 'createToken|198.51.100.7')).toMatchObject({ hits: 22 });
    } finally {
      await second.close();
    }
  });
});

describe('a database that cannot count', () => {
  it('answers 503 with Retry-After, serves nothing, and counts again once the database is back', async () => {
    const readOnly = await readOnlyDatabase(t.db);
    const app = await buildApp(testConfig(), { db: readOnly.db });
    try {
      const register = (through = app) => registerFrom(through, '203.0.113.9', 'refused@example.com');
      const refused = await register();
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(refused.body)).toMatchObject({ status: 503, type: '/problems/unavailable' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.headers['ratelimit-limit']).toBeUndefined();
      await readOnly.restore();
      const users = await t.db.selectFrom('users').select('email').execute();
      expect(users.map((u) => u.email)).not.toContain('refused@example.com');
      // Back (on PostgreSQL, through an instance whose sessions write): counted once, and served.
      expect((await register(testDatabaseUrl ? t.app : app)).statusCode).toBe(201);
      expect(await readCount(t.db, 'registerUser|203.0.113.9')).toMatchObject({ hits: 1 });
    } finally {
      await app.close();
      await readOnly.close();
    }
  });
});

describe('a count that cannot be taken while the rest of the database works', () => {
  it.skipIf(testDatabaseUrl === undefined)(
    'answers 503 rather than letting the request through uncounted (PostgreSQL: the count table locked)',
    async () => {
      // Another session holds the count table; this instance's sessions give up on a lock after 200 ms (55P03).
      const url = new URL(await schemaUrlOf(t.db));
      const locker = new pg.Client({ connectionString: url.href });
      await locker.connect();
      await locker.query('begin');
      await locker.query('lock table rate_limit_windows in access exclusive mode');
      url.searchParams.set('options', `${url.searchParams.get('options')} -c lock_timeout=200`);
      const impatient = createDatabase(url.href);
      const app = await buildApp(testConfig(), { db: impatient });
      try {
        const register = () => registerFrom(app, '203.0.113.10', 'uncounted@example.com');
        const refused = await register();
        expect(refused.statusCode).toBe(503);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        // The users table was free: an open gate would have made the account.
        const users = await t.db.selectFrom('users').select('email').execute();
        expect(users.map((u) => u.email)).not.toContain('uncounted@example.com');
        await locker.query('rollback');
        expect((await register()).statusCode).toBe(201);
      } finally {
        await app.close();
        await impatient.destroy();
        await locker.end();
      }
    },
  );
});

/** A sign-up, which a per-client limit counts, from one client address. */
function registerFrom(app: FastifyInstance, remoteAddress: string, email: string) {
  return app.inject({
    method: 'POST',
    url: '/users',
    remoteAddress,
    payload: { email, password: 'long enough password' },
  });
}

function testConfig() {
  return loadConfig({
    DATABASE_URL: ':memory:',
    RESPONSE_VALIDATION: 'strict',
    PASSWORD_HASH_COST: '10',
    LOG_LEVEL: 'silent',
    OVERLOAD_MAX_EVENT_LOOP_DELAY: '0',
  });
}

/** The search_path of the test schema `db` works in, as a URL a second pool can open. */
async function schemaUrlOf(db: Db): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const url = new URL(testDatabaseUrl ?? '');
  const { rows: names } = await sql<{ name: string }>`select current_database() as name`.execute(db);
  url.pathname = `/${names[0]?.name}`;
  url.searchParams.set('options', `-c search_path=${rows[0]?.schema}`);
  return url.href;
}

/**
 * The same database, refusing every write as a read-only disk or a read-only standby would: SQLite's
 * `query_only` on the test's one connection, or on PostgreSQL a pool whose sessions are read-only.
 */
async function readOnlyDatabase(db: Db): Promise<{ db: Db; restore(): Promise<void>; close(): Promise<void> }> {
  if (testDatabaseUrl === undefined) {
    await sql`pragma query_only = on`.execute(db);
    return { db, restore: async () => void (await sql`pragma query_only = off`.execute(db)), close: async () => {} };
  }
  const url = new URL(await schemaUrlOf(db));
  url.searchParams.set('options', `${url.searchParams.get('options')} -c default_transaction_read_only=on`);
  const readOnly = createDatabase(url.href);
  return { db: readOnly, restore: async () => {}, close: () => readOnly.destroy() };
}
