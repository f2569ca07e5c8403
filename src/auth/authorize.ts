import type { Db } from '../db/database.js';
import type { Principal } from '../http/principal.js';
import { ownerOf } from './repository.js';

export type Ownable = 'store' | 'item' | 'tag' | 'user';

/**
 * The one ownership rule, applied to every operation with `x-ownership` before its handler runs: admins may
 * touch anything; a user only their own account and the stores they own, with everything in them.
 * `unknown` means the resource does not exist: the handler then answers 404 (or 422 for a body reference).
 */
export async function authorize(
  db: Db,
  principal: Principal,
  of: Ownable,
  id: string,
): Promise<'allowed' | 'forbidden' | 'unknown'> {
  if (principal.role === 'admin') return 'allowed';
  // Users: permission comes before existence, so another user's id and a missing one answer alike.
  if (of === 'user') return id === principal.userId ? 'allowed' : 'forbidden';
  const owner = await ownerOf(db, of, id);
  if (owner === undefined) return 'unknown';
  return owner.ownerId === principal.userId ? 'allowed' : 'forbidden';
}
