import type { Selectable } from 'kysely';
import { compiledOnce } from '../db/compiled-query.js';
import type { Db } from '../db/database.js';
import type { RefreshTokenTable } from '../db/schema.js';

export type RefreshTokenRow = Selectable<RefreshTokenTable>;

export function insertRefreshToken(db: Db, row: RefreshTokenRow): Promise<unknown> {
  return db.insertInto('refresh_tokens').values(row).execute();
}

export function findRefreshToken(db: Db, id: string): Promise<RefreshTokenRow | undefined> {
  return db.selectFrom('refresh_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks the token used, only if nobody used it first: two racing refreshes cannot both succeed. */
export async function spendRefreshToken(db: Db, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export function revokeFamily(db: Db, familyId: string, now: string): Promise<unknown> {
  return db
    .updateTable('refresh_tokens')
    .set({ revoked_at: now })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Ends every sign-in of the user but `keep` (a family id): their refresh tokens are revoked, and with them every
 * access token of those sign-ins (see activeRole).
 */
export function revokeSignIns(db: Db, userId: string, now: string, keep?: string): Promise<unknown> {
  let query = db
    .updateTable('refresh_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep !== undefined) query = query.where('family_id', '!=', keep);
  return query.execute();
}

/** Denylists an access token until it would have expired, and forgets those whose time has passed. */
export async function revokeAccessToken(db: Db, tokenId: string, expiresAt: string, now: string): Promise<void> {
  await db.deleteFrom('revoked_access_tokens').where('expires_at', '<', now).execute();
  await db
    .insertInto('revoked_access_tokens')
    .values({ token_id: tokenId, expires_at: expiresAt })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * The signed-in user's current role, or undefined when the account is gone, the token was revoked, or its
 * sign-in was ended (signed out, or a refresh token of it replayed). One query, by primary key and index.
 */
const roleOf = compiledOnce((db: Db, args: { userId: string; tokenId: string; sessionId: string }) =>
  db
    .selectFrom('users')
    .select('role')
    .where('id', '=', args.userId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('revoked_access_tokens').select('token_id').where('token_id', '=', args.tokenId))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('refresh_tokens')
            .select('id')
            .where('family_id', '=', args.sessionId)
            .where('revoked_at', 'is not', null),
        ),
      ),
    ),
);

export async function activeRole(db: Db, userId: string, tokenId: string, sessionId: string) {
  const [row] = await roleOf(db, { userId, tokenId, sessionId });
  return row?.role;
}

/** The owner of the store a resource belongs to: `undefined` when the resource does not exist. */
export async function ownerOf(
  db: Db,
  of: 'store' | 'item' | 'tag',
  id: string,
): Promise<{ ownerId: string | null } | undefined> {
  return (await (of === 'store' ? storeOwner : of === 'item' ? itemOwner : tagOwner)(db, { id }))[0];
}

const storeOwner = compiledOnce((db: Db, args: { id: string }) =>
  db.selectFrom('stores').select('owner_id as ownerId').where('id', '=', args.id),
);

const ownerThroughStore = (table: 'items' | 'tags') =>
  compiledOnce((db: Db, args: { id: string }) =>
    db
      .selectFrom(table)
      .innerJoin('stores', 'stores.id', `${table}.store_id`)
      .select('stores.owner_id as ownerId')
      .where(`${table}.id`, '=', args.id),
  );
const itemOwner = ownerThroughStore('items');
const tagOwner = ownerThroughStore('tags');
