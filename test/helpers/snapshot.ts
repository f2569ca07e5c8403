import type { Db } from '../../src/db/database.js';

const tables = ['users', 'stores', 'items', 'tags', 'item_tags', 'refresh_tokens', 'revoked_access_tokens'] as const;

/**
 * Every row of the API's resources and credentials, table by table: equal snapshots before and after a request
 * prove it changed nothing. Idempotency records are left out: a refused create with a key records its answer,
 * so that a retry gets the same answer.
 */
export function snapshot(db: Db) {
  return Promise.all(tables.map((table) => db.selectFrom(table).selectAll().execute()));
}
