import { admin, fileDatabasePrefix, testDatabaseUrl } from './fresh-database.js';

/** After every test file has finished, drops the databases they made on the test server (`npm run test:pg`). */
export async function teardown(): Promise<void> {
  const main = testDatabaseUrl;
  if (main === undefined) return;
  await admin(main, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1)',
      [fileDatabasePrefix(main)],
    );
    for (const { datname } of rows) await client.query(`drop database "${datname}" with (force)`);
  });
}
