import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Residual } from './bounded-page.js';
import { isPostgres } from './database.js';
import type { Database } from './schema.js';

/** The order of a keyset page: a sort column with the row id as tie-breaker, both in one direction. */
export interface KeysetOrder {
  column: string;
  idColumn: string;
  descending: boolean;
}

/**
 * Restricts a query to the rows after `after` in the given order and fetches one row more than the page, so
 * the caller knows whether another page follows. The row-value comparison `(column, id) > (value, id)` is a
 * range scan on an index of (column, id).
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  order: KeysetOrder,
  after: { value: string | number; id: string } | undefined,
  limit: number,
): SelectQueryBuilder<DB, TB, O> {
  const direction = order.descending ? 'desc' : 'asc';
  const columns = sql`(${sql.ref(order.column)}, ${sql.ref(order.idColumn)})`;
  const restricted = after
    ? query.where(sql<boolean>`${columns} ${sql.raw(order.descending ? '<' : '>')} (${after.value}, ${after.id})`)
    : query;
  return restricted
    .orderBy(sql.ref(order.column), direction)
    .orderBy(sql.ref(order.idColumn), direction)
    .limit(limit + 1);
}

/** Splits the rows a keyset query returned into the page and whether more follow. */
export function splitPage<R>(rows: R[], limit: number): { rows: R[]; hasMore: boolean } {
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** Escapes `%`, `_` and `\` so that user text matches literally inside a LIKE pattern with ESCAPE '\'. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `column` contains `text`, ignoring the case of ASCII letters only (A-Z and a-z), the same on both databases:
 * SQLite's lower() and LIKE fold ASCII only, and so does PostgreSQL's lower() on our "C"-collated columns,
 * whose LIKE is then an exact match. The text is folded here the same way (JavaScript's toLowerCase would
 * fold every script).
 */
export function containsIgnoringAsciiCase(column: string, text: string) {
  const folded = containsPattern(text).replace(/[A-Z]/g, (c) => c.toLowerCase());
  return sql<boolean>`lower(${sql.ref(column)}) like ${folded} escape '\\'`;
}

/**
 * `q` as a filter of a bounded page: the exact condition (`containsIgnoringAsciiCase`), and, when the text holds
 * three ASCII letters or digits in a row, the rows the name-search index lists for it (migration
 * `20261129T000000-name-search`): SQLite's FTS5 trigram table of lower(name), asked for the text as a phrase (a
 * substring: consecutive trigrams), or PostgreSQL's pg_trgm GIN index on lower(name). Shorter or other texts (`ab`,
 * `%%%`, `日本語`) give pg_trgm no trigram to look up, so on both databases, alike, they are read in the sort
 * order's index within its budget (see bounded-page.ts).
 */
export function nameContains(db: Kysely<Database>, table: 'stores' | 'items' | 'tags', text: string): Residual {
  const where = containsIgnoringAsciiCase(`${table}.name`, text);
  if (!/[A-Za-z0-9]{3}/.test(text)) return { where };
  if (isPostgres(db)) {
    return { where, candidates: { key: 'id', select: sql`select id as key from ${sql.table(table)} where ${where}` } };
  }
  const search = sql.table(`${table}_name_search`);
  const phrase = `"${text.replace(/[A-Z]/g, (c) => c.toLowerCase()).replaceAll('"', '""')}"`;
  return {
    where,
    candidates: { key: 'rowid', select: sql`select rowid as key from ${search} where ${search} match ${phrase}` },
  };
}
