import type { Db } from '../db/database.js';

/**
 * The secret of that name: the one stored, or else `candidate`, stored now. Of several instances starting at
 * once on one database, the first insert wins and every instance reads that one back. A database that cannot
 * be written (a read-only file or replica) and holds none yet gets `candidate` for this process only:
 * `kept: false`, so the caller can say that tokens it signs will not outlive it.
 */
export async function keptSecret(
  db: Db,
  name: string,
  candidate: string,
  now: string,
): Promise<{ value: string; kept: boolean }> {
  const stored = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirst();
  if (stored) return { value: stored.value, kept: true };
  try {
    await db
      .insertInto('server_secrets')
      .values({ name, value: candidate, created_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  } catch (error) {
    if (readOnly(error)) return { value: candidate, kept: false };
    throw error;
  }
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return { value: row.value, kept: true };
}

/** SQLite's read-only database, or PostgreSQL's read-only transaction (a hot standby, `default_transaction_read_only`). */
function readOnly(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === 'SQLITE_READONLY' || (typeof code === 'string' && code.startsWith('SQLITE_READONLY_')) || code === '25006'
  );
}
