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

/**
 * The database's clock as epoch milliseconds, for use inside a statement: one value for the whole statement, so
 * a statement that compares and sets times with it sees one instant, whichever instance sent it.
 */
export function databaseNowMs(db: Db) {
  return isPostgres(db)
    ? sql<number>`(extract(epoch from statement_timestamp()) * 1000)::bigint`
    : sql<number>`cast((julianday('now') - 2440587.5) * 86400000 as integer)`;
}
