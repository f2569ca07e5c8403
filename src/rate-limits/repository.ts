import { sql } from 'kysely';
import { databaseNowMs } from '../db/clock.js';
import type { Db } from '../db/database.js';

export interface Counted {
  /** Requests in the current window, this one included. */
  hits: number;
  /** Milliseconds until the window ends and the count starts again. */
  ttlMs: number;
}

/**
 * Counts one request against `key` in a fixed window of `windowMs` that starts with the first request, as
 * @fastify/rate-limit's own memory store does, but in one atomic upsert that every instance shares: a window that
 * has ended starts again at 1. Times are the database's, so instances whose clocks disagree count alike.
 */
export async function countRequest(db: Db, key: string, windowMs: number): Promise<Counted> {
  const now = databaseNowMs(db);
  const ended = sql<boolean>`rate_limit_windows.window_ends_ms <= ${now}`;
  const row = await db
    .insertInto('rate_limit_windows')
    .values({ key, hits: 1, window_ends_ms: sql<number>`${now} + ${windowMs}` })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when ${ended} then 1 else rate_limit_windows.hits + 1 end`,
        window_ends_ms: sql<number>`case when ${ended} then ${now} + ${windowMs} else rate_limit_windows.window_ends_ms end`,
      }),
    )
    .returning(['hits', sql<number>`window_ends_ms - ${now}`.as('ttl_ms')])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), ttlMs: Math.max(0, Number(row.ttl_ms)) };
}

/** Reads the count of `key` without counting a request: zero when its window has ended or never began. */
export async function readCount(db: Db, key: string): Promise<Counted> {
  const now = databaseNowMs(db);
  const row = await db
    .selectFrom('rate_limit_windows')
    .select(['hits', sql<number>`window_ends_ms - ${now}`.as('ttl_ms')])
    .where('key', '=', key)
    .where('window_ends_ms', '>', now)
    .executeTakeFirst();
  return row ? { hits: Number(row.hits), ttlMs: Number(row.ttl_ms) } : { hits: 0, ttlMs: 0 };
}

/** Deletes the windows that have ended: their counts would start again anyway. Returns how many. */
export async function purgeEnded(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('rate_limit_windows')
    .where('window_ends_ms', '<=', databaseNowMs(db))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
