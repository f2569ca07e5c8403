// The database's constraint errors, recognised in one place so that repositories can turn them into answers.
import { sql } from 'kysely';
import type { Db } from './database.js';

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

export function isForeignKeyViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/** PostgreSQL's serialization failure or deadlock: the transaction lost a race and may be run again. */
export function isSerializationFailure(error: unknown): boolean {
  const code = codeOf(error);
  return code === '40001' || code === '40P01';
}

/** What a write that broke a constraint becomes: a taken unique key, or a reference to a row that does not exist. */
export type ConstraintBreach = 'duplicate' | 'missing-parent';

/**
 * Runs a write and turns the listed constraint violations into values the caller answers with (409, 422);
 * any other error is thrown on. Only the breaches a write can really cause are listed, so callers handle no more.
 * Inside a transaction the write runs in a savepoint: PostgreSQL refuses every later statement of a transaction
 * after an error until it is rolled back to a point before it (SQLite does not, and takes the same SQL).
 */
export async function catchConstraint<T, B extends ConstraintBreach>(
  db: Db,
  breaches: readonly B[],
  write: () => Promise<T>,
): Promise<T | B> {
  const savepoint = db.isTransaction;
  if (savepoint) await sql`savepoint constraint_check`.execute(db);
  try {
    const result = await write();
    if (savepoint) await sql`release savepoint constraint_check`.execute(db);
    return result;
  } catch (error) {
    const breach = isUniqueViolation(error) ? 'duplicate' : isForeignKeyViolation(error) ? 'missing-parent' : undefined;
    if (breach === undefined || !breaches.includes(breach as B)) throw error;
    if (savepoint) {
      await sql`rollback to savepoint constraint_check`.execute(db);
      await sql`release savepoint constraint_check`.execute(db);
    }
    return breach as B;
  }
}
