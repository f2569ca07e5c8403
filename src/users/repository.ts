import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import { catchConstraint } from '../db/errors.js';
import type { UserTable } from '../db/schema.js';

export type UserRow = Selectable<UserTable>;

export function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function insertUser(db: Db, row: UserRow): Promise<UserRow | 'duplicate'> {
  return catchConstraint(db, ['duplicate'], async () => {
    await db.insertInto('users').values(row).execute();
    return row;
  });
}

/** Deletes the user; their stores (with items and tags) and refresh tokens go with them (ON DELETE CASCADE). */
export async function deleteUser(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function setRole(db: Db, email: string, role: UserRow['role']): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ role })
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function setPasswordHash(db: Db, id: string, passwordHash: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ password_hash: passwordHash })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
