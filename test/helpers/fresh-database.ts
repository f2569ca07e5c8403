import { randomUUID } from 'node:crypto';
import type { LogConfig } from 'kysely';
import pg from 'pg';
import { createDatabase, type Db } from '../../src/db/database.js';

/** The PostgreSQL database of `npm run test:pg`; unset, every test runs on SQLite. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL;

/** Why a test of SQLite itself (its plans, its file settings) does not run under `npm run test:pg`. */
export const sqliteOnly = { skip: testDatabaseUrl !== undefined, reason: 'tests SQLite itself' };

/**
 * An empty database for one test app: `databaseUrl` itself for SQLite (`:memory:` in tests), or, under
 * `npm run test:pg`, a new schema of the test database, which `drop()` removes with everything in it.
 */
export async function freshDatabase(
  databaseUrl: string,
  options: { log?: LogConfig } = {},
): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  if (testDatabaseUrl === undefined || databaseUrl !== ':memory:') {
    const db = createDatabase(databaseUrl, options);
    return { db, url: databaseUrl, drop: () => db.destroy() };
  }
  const schema = await freshSchema();
  const db = createDatabase(schema.url, options);
  return {
    db,
    url: schema.url,
    async drop() {
      await db.destroy();
      await schema.drop();
    },
  };
}

/** A new, empty schema of the PostgreSQL test database, and a URL whose connections use it. */
export async function freshSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  if (testDatabaseUrl === undefined) throw new Error('TEST_DATABASE_URL names no PostgreSQL database');
  const schema = `test_${randomUUID().replaceAll('-', '')}`;
  await admin((client) => client.query(`create schema ${schema}`));
  const url = new URL(testDatabaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.href, drop: () => admin((client) => client.query(`drop schema ${schema} cascade`)) };
}

async function admin(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
