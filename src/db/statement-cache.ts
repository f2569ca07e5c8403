import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * A better-sqlite3 database for Kysely that keeps its prepared statements by SQL text. Kysely prepares every query
 * it runs, and the API sends the same few statements over and over: preparing was about 8% of a request's time.
 * A statement still being iterated (a streamed query) is busy, so a second use of its SQL gets a fresh one.
 * The cache is bounded (oldest out first), as the SQL of `in (?, ?, …)` lists varies with their length.
 */
export function cachingStatements(sqlite: Database, capacity = 500): SqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) {
        if (statements.size >= capacity) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
