import { revokeSignIns } from '../auth/repository.js';
import type { Db } from '../db/database.js';
import { findUserByEmail, setPasswordHash } from '../users/repository.js';
import { demoUser } from './demo-data.js';

/** A password hash no password matches (verifyPassword knows only `scrypt$…`). */
const disabledHash = 'disabled$demo-account$its-password-is-published';

/**
 * In production, the demo account (its password is in the README and the source) must not let anyone in: one
 * left by a development start, `SEED_DEMO_DATA` or `db:seed` is disabled and its sign-ins ended. Its stores stay.
 * True when it was disabled now.
 */
export async function disableDemoAccount(db: Db): Promise<boolean> {
  const account = await findUserByEmail(db, demoUser.email);
  if (!account || account.password_hash === disabledHash) return false;
  await setPasswordHash(db, account.id, disabledHash);
  await revokeSignIns(db, account.id, new Date().toISOString());
  return true;
}
