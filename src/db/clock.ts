import { sql } from 'kysely';
import { type Db, isPostgres } from './database.js';

/**
 * The database's clock, not this process's: instances whose clocks disagree still agree on it, so times several
 * instances compare (idempotency claims and their expiry) are read from here. Milliseconds, UTC.
 */
export async function databaseNow(db: Db): Promise<Date> {
  const query = isPostgres(db)
    ? sql<{ now: string }>`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as now`
    : sql<{ now: string }>`select strftime('%Y-%m-%dT%H:%M:%fZ', 'now') as now`;
  const { rows } = await query.execute(db);
  const now = rows[0]?.now;
  if (now === undefined) throw new Error('the database did not tell its time');
  return new Date(now);
}
