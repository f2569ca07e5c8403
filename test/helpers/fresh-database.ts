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

/** A new, empty schema in this test file's database, and a URL whose connections use it. */
export async function freshSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const database = await fileDatabase();
  const schema = `test_${randomUUID().replaceAll('-', '')}`;
  await admin(database, (client) => client.query(`create schema ${schema}`));
  const url = new URL(database);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.href, drop: () => admin(database, (client) => client.query(`drop schema ${schema} cascade`)) };
}

/** Databases made for test files are named `<test database>_file_<random>`; the global teardown drops them. */
export const fileDatabasePrefix = (url: string) => `${new URL(url).pathname.slice(1)}_file_`;

let thisFilesDatabase: Promise<string> | undefined;

/**
 * This test file's own database on the test server, with the test database's locale. Files run side by side,
 * and Kysely's migrator reads the catalogue of every schema in its database: a schema another file drops at
 * that moment would break it, so files never share a database (the tests in one file run one after another).
 */
function fileDatabase(): Promise<string> {
  const main = testDatabaseUrl;
  if (main === undefined) throw new Error('TEST_DATABASE_URL names no PostgreSQL database');
  thisFilesDatabase ??= (async () => {
    const name = `${fileDatabasePrefix(main)}${randomUUID().replaceAll('-', '')}`;
    await admin(main, async (client) => {
      const { rows } = await client.query(
        'select datlocprovider, daticulocale, datcollate, datctype from pg_database where datname = current_database()',
      );
      const { datlocprovider, daticulocale, datcollate, datctype } = rows[0];
      const icu = datlocprovider === 'i' ? `locale_provider icu icu_locale '${daticulocale}'` : '';
      await client.query(
        `create database ${name} template template0 encoding 'UTF8' ${icu} lc_collate '${datcollate}' lc_ctype '${datctype}'`,
      );
    });
    const url = new URL(main);
    url.pathname = `/${name}`;
    return url.href;
  })();
  return thisFilesDatabase;
}

export async function admin(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
