import type { Db } from './database.js';
import { isSerializationFailure } from './errors.js';

/** How often a transaction that lost a race with another is run again before the error goes up. */
const attempts = 10;

/**
 * Runs `work` in a transaction, or in the caller's when there already is one (a precondition check holds one).
 * Transactions are serializable: each sees the database as if it ran alone. SQLite is so already (one writer);
 * on PostgreSQL, where transactions of several connections and instances run side by side, one that read what
 * another changed fails with a serialization failure and is run again from the start, so a read-compare-write
 * such as an If-Match check can never let two writers win.
 */
export async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().setIsolationLevel('serializable').execute(work);
    } catch (error) {
      if (attempt >= attempts || !isSerializationFailure(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
