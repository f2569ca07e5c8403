import { createHash, randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../db/database.js';
import { findRefreshToken, insertRefreshToken, revokeFamily, spendRefreshToken } from './repository.js';

// A refresh token is `<id>.<secret>`: the id finds the row, the secret (32 random bytes) proves possession.
// Only a SHA-256 of the secret is stored; a high-entropy secret needs no slow hash.

const digest = (secret: string) => createHash('sha256').update(secret).digest('base64url');

/** Issues a refresh token in the family of its sign-in: a new sign-in starts one, a rotation continues it. */
export async function issueRefreshToken(db: Db, userId: string, ttlSeconds: number, familyId: string): Promise<string> {
  const id = uuidv7();
  const secret = randomBytes(32).toString('base64url');
  const now = new Date();
  await insertRefreshToken(db, {
    id,
    family_id: familyId,
    user_id: userId,
    token_hash: digest(secret),
    expires_at: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
    used_at: null,
    revoked_at: null,
    created_at: now.toISOString(),
  });
  return `${id}.${secret}`;
}

export type Rotation = { ok: true; userId: string; familyId: string } | { ok: false; reason: string };

/**
 * Spends a refresh token. A token used before means a copy is in someone else's hands: its whole family is
 * revoked, so the thief's and the owner's later tokens stop working alike and the owner must sign in again.
 */
export async function spend(db: Db, token: string): Promise<Rotation> {
  const row = await find(db, token);
  const refused = { ok: false as const, reason: 'The refresh token is not valid; sign in again.' };
  if (!row || row.revoked_at !== null) return refused;
  const now = new Date().toISOString();
  if (row.used_at !== null) {
    await revokeFamily(db, row.family_id, now);
    return { ok: false, reason: 'The refresh token was already used; every token of this sign-in is now revoked.' };
  }
  if (row.expires_at <= now) return { ok: false, reason: 'The refresh token has expired; sign in again.' };
  if (!(await spendRefreshToken(db, row.id, now))) {
    await revokeFamily(db, row.family_id, now);
    return refused;
  }
  return { ok: true, userId: row.user_id, familyId: row.family_id };
}

/** Revokes the token's family when it belongs to the user; anything else is left alone, without saying so. */
export async function revoke(db: Db, token: string, userId: string): Promise<void> {
  const row = await find(db, token);
  if (row && row.user_id === userId) await revokeFamily(db, row.family_id, new Date().toISOString());
}

async function find(db: Db, token: string) {
  const [id = '', secret = '', extra] = token.split('.');
  if (extra !== undefined || !id || !secret) return undefined;
  const row = await findRefreshToken(db, id);
  return row && row.token_hash === digest(secret) ? row : undefined;
}
