// npm run db:restore -- <file>: replaces the database named by DATABASE_URL with a backup. Refuses while a
// server (any other connection) has the database open.
// SQLite: the backup is checked, stale WAL files removed, the copy renamed into place.
// PostgreSQL: pg_restore --clean of a pg_dump custom-format file, once no other session is connected.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { restore } from '../src/backup/sqlite-backup.js';
import { loadConfig } from '../src/config.js';
import { isPostgresUrl } from '../src/db/database.js';

const backup = process.argv[2];
if (!backup) {
  console.error('usage: npm run db:restore -- <backup file>');
  process.exit(2);
}
const { databaseUrl } = loadConfig();
try {
  if (isPostgresUrl(databaseUrl)) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ others: number }>(
      'select count(*)::int as others from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    await client.end();
    if ((rows[0]?.others ?? 0) > 0) {
      throw new Error(`${rows[0]?.others} other sessions are connected to the database: stop the servers first`);
    }
    const run = spawnSync('pg_restore', ['--clean', '--if-exists', `--dbname=${databaseUrl}`, backup], {
      stdio: 'inherit',
    });
    if (run.status !== 0) process.exit(run.status ?? 1);
  } else {
    restore(backup, databaseUrl);
  }
  console.log(`restored ${backup} into ${isPostgresUrl(databaseUrl) ? 'the database' : databaseUrl}`);
} catch (error) {
  console.error(`db:restore: ${(error as Error).message}`);
  process.exit(1);
}
