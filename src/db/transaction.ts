import type { Db } from './database.js';

/** Runs `work` in a transaction, or in the caller's when there already is one (a precondition check holds one). */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
