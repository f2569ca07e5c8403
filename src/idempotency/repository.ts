import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { IdempotencyKeyTable } from '../db/schema.js';

export type IdempotencyRow = Selectable<IdempotencyKeyTable>;

/** Claims the key; false when someone holds it already. Expired rows of the key are cleared first. */
export async function claim(db: Db, row: IdempotencyRow, now: string): Promise<boolean> {
  await db.deleteFrom('idempotency_keys').where('expires_at', '<', now).execute();
  const result = await db
    .insertInto('idempotency_keys')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function find(db: Db, scope: string, key: string): Promise<IdempotencyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
}

/**
 * Records the answer on the claim made at `claimedAt`; false when that claim is no longer there (it was taken
 * over as abandoned), so that the caller's transaction rolls back and its work does not count twice.
 */
export async function record(
  db: Db,
  scope: string,
  key: string,
  claimedAt: string,
  answer: Pick<IdempotencyRow, 'status' | 'headers' | 'body'>,
): Promise<boolean> {
  const result = await db
    .updateTable('idempotency_keys')
    .set(answer)
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('created_at', '=', claimedAt)
    .where('status', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Releases the pending claim made at `claimedAt` (not a newer one, not a recorded answer). */
export function release(db: Db, scope: string, key: string, claimedAt: string) {
  return db
    .deleteFrom('idempotency_keys')
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('created_at', '=', claimedAt)
    .where('status', 'is', null)
    .execute();
}

/** Deletes every record whose time has passed; a timer runs it (see purge-timer.ts). */
export async function purgeExpired(db: Db, now: string): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
