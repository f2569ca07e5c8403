import { statSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import { type Db, openedFileOf } from './database.js';
import { inTransaction } from './transaction.js';
import { unavailableDatabase } from './unavailable.js';

/** Below this much free space beside a SQLite file, the instance says it is not ready: the next writes would fail. */
export const minFreeBytes = 4 * 1024 * 1024;

/**
 * Why this database cannot take writes now, or undefined when it can. Readiness asks it, so an instance that
 * would answer every write 503 is taken out of rotation instead of saying it is ready:
 * - on SQLite, the file at DATABASE_URL must still be the file held open (not removed, not replaced by a restore
 *   or a `mv`), and its file system must have room left;
 * - on both, a tiny write must commit: the migration lock row is rewritten with its own value, which changes
 *   nothing but goes through the whole write path (write lock, journal, sync), so a read-only file or file
 *   system, a full disk, a damaged file or a database that does not answer shows here.
 */
export async function whyNotWritable(db: Db): Promise<string | undefined> {
  const file = openedFileOf(db);
  if (file) {
    let now: { dev: number; ino: number };
    try {
      now = statSync(file.path);
    } catch {
      return `The database file ${file.path} has been removed; this instance still holds the old one. Restart it.`;
    }
    if (now.dev !== file.dev || now.ino !== file.ino) {
      return `The database file ${file.path} has been replaced; this instance still holds the old one. Restart it.`;
    }
    const space = await statfs(dirname(file.path));
    if (space.bavail * space.bsize < minFreeBytes) return 'The disk that holds the database is full.';
  }
  try {
    await inTransaction(db, (trx) =>
      sql`update kysely_migration_lock set is_locked = is_locked where id = 'migration_lock'`.execute(trx),
    );
  } catch (error) {
    const unavailable = unavailableDatabase(error);
    return unavailable
      ? `The database cannot take a write: ${unavailable.detail}`
      : 'The database cannot take a write.';
  }
  return undefined;
}
