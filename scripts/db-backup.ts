// npm run db:backup -- [file]: a consistent copy of the database named by DATABASE_URL, taken while servers run.
// SQLite: the online backup API (default file: <database>.backup-<time>); PostgreSQL: pg_dump's custom format.
import { spawnSync } from 'node:child_process';
import { backUp } from '../src/backup/sqlite-backup.js';
import { loadConfig } from '../src/config.js';
import { isPostgresUrl } from '../src/db/database.js';

const { databaseUrl } = loadConfig();
const stamp = new Date().toISOString().replaceAll(':', '-');
if (isPostgresUrl(databaseUrl)) {
  const target = process.argv[2] ?? `stores-${stamp}.dump`;
  const dump = spawnSync('pg_dump', ['--format=custom', `--file=${target}`, databaseUrl], { stdio: 'inherit' });
  if (dump.status !== 0) process.exit(dump.status ?? 1);
  console.log(`backed up to ${target} (pg_dump custom format; restore with pg_restore or npm run db:restore)`);
} else {
  const target = process.argv[2] ?? `${databaseUrl}.backup-${stamp}`;
  await backUp(databaseUrl, target);
  console.log(`backed up to ${target} (integrity check ok)`);
}
