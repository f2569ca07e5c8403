// The database's constraint errors, recognised in one place so that repositories can turn them into answers.

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

/** What a write that broke a constraint becomes: a taken unique key, or a reference to a row that does not exist. */
export type ConstraintBreach = 'duplicate' | 'missing-parent';

/**
 * Runs a write and turns the listed constraint violations into values the caller answers with (409, 422);
 * any other error is thrown on. Only the breaches a write can really cause are listed, so callers handle no more.
 */
export async function catchConstraint<T, B extends ConstraintBreach>(
  breaches: readonly B[],
  write: () => Promise<T>,
): Promise<T | B> {
  try {
    return await write();
  } catch (error) {
    const breach = isUniqueViolation(error) ? 'duplicate' : isForeignKeyViolation(error) ? 'missing-parent' : undefined;
    if (breach !== undefined && breaches.includes(breach as B)) return breach as B;
    throw error;
  }
}
