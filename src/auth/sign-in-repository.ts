import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export interface AttemptRules {
  now: number;
  /** Failures allowed before waits begin. */
  free: number;
  /** The longest wait, in ms. */
  maxDelayMs: number;
  /** A count whose last attempt is older than this (ms) starts again. */
  forgetAfterMs: number;
}

/**
 * Counts an attempt on the account as failed, in one statement, unless the account must still wait: then nothing
 * changes and the answer is the time it is blocked until. Counting before the password is checked means a burst
 * of parallel guesses is counted as it arrives, on any instance; a success then clears the row (`clearAttempts`).
 */
export async function countAttempt(
  db: Db,
  account: string,
  rules: AttemptRules,
): Promise<{ ok: true } | { ok: false; blockedUntilMs: number }> {
  const { now, free, maxDelayMs, forgetAfterMs } = rules;
  const failures = sql<number>`case when sign_in_failures.last_failed_ms < ${now - forgetAfterMs} then 1 else sign_in_failures.failures + 1 end`;
  const doubled = sql<number>`sign_in_failures.delay_ms * 2`;
  const delay = sql<number>`case when ${failures} <= ${free} then 0 when ${doubled} < 1000 then 1000 when ${doubled} > ${maxDelayMs} then ${maxDelayMs} else ${doubled} end`;
  const counted = await db
    .insertInto('sign_in_failures')
    .values({ account, failures: 1, delay_ms: 0, blocked_until_ms: now, last_failed_ms: now })
    .onConflict((oc) =>
      oc
        .column('account')
        .doUpdateSet({
          failures,
          delay_ms: delay,
          blocked_until_ms: sql<number>`${now} + ${delay}`,
          last_failed_ms: now,
        })
        .where('sign_in_failures.blocked_until_ms', '<=', now),
    )
    .returning('failures')
    .executeTakeFirst();
  if (counted) return { ok: true };
  const row = await db
    .selectFrom('sign_in_failures')
    .select('blocked_until_ms')
    .where('account', '=', account)
    .executeTakeFirst();
  return row ? { ok: false, blockedUntilMs: Number(row.blocked_until_ms) } : { ok: true };
}

/** A successful sign-in: the account starts again with no failures. */
export async function clearAttempts(db: Db, account: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('account', '=', account).execute();
}

/**
 * Deletes the counts of accounts with no attempt since `beforeMs` that are not blocked any more: the next attempt
 * would start them again anyway (see `forgetAfterMs`). Returns how many.
 */
export async function purgeForgotten(db: Db, beforeMs: number): Promise<number> {
  const result = await db
    .deleteFrom('sign_in_failures')
    .where('last_failed_ms', '<', beforeMs)
    .where('blocked_until_ms', '<', beforeMs)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
