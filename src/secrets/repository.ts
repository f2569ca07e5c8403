import type { Db } from '../db/database.js';

/**
 * The secret of that name: the one stored, or else `candidate`, stored now. Of several instances starting at
 * once on one database, the first insert wins and every instance reads that one back.
 */
export async function keptSecret(db: Db, name: string, candidate: string, now: string): Promise<string> {
  await db
    .insertInto('server_secrets')
    .values({ name, value: candidate, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
