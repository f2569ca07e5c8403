import { type RawBuilder, sql } from 'kysely';
import { type CompiledCache, compiledWith, standIn } from './compiled-query.js';
import { type Db, readWorkersOf } from './database.js';

/**
 * Every list page reads a bounded number of rows, whatever the filters and however large the table. A page is
 * read in one of three ways, and `boundedPage` picks the first that applies:
 *
 * 1. **index**: every filter is a range of the index that gives the sort order (a store's items by price with a
 *    price range, say). One range scan, `limit + 1` rows.
 * 2. **candidates**: some other filter has an index of its own (a tag's links, a price range, the name-search
 *    index) and it lists at most `candidateLimit` rows. Those rows are read, the other filters checked and the
 *    few left sorted. Counting first reads at most `candidateLimit + 1` index entries.
 * 3. **scan**: no filter is that selective. The sort order's index is read from the cursor on, at most
 *    `scanBudget` rows, and the rows passing every filter make the page. When the budget runs out first, the page
 *    is short (even empty) and `next` continues after the last row read: each request does a bounded amount of
 *    work, and following `next` still visits every match once, in order.
 *
 * Filters selective enough for (2) and common enough for (3) both end quickly: the cost is at most about
 * `candidateLimit` + `scanBudget` rows, never the table. On a SQLite file, (2) and (3) run on read-only
 * connections in worker threads (read-workers.ts): a few milliseconds each on a million rows, they would
 * otherwise hold up every other request on the event loop.
 */
export const candidateLimit = 1000;
export const scanBudget = 1000;

/** Where a page starts: the sort value and id of the row before it. */
export interface Position {
  value: string | number;
  id: string;
}

/** A filter the sort order's index does not serve. */
export interface Residual {
  /** The condition, on the listed table's columns (`items.name`, …). */
  where: RawBuilder<unknown>;
  /** True when `through` serves it: then only the candidates way checks it. */
  servedThrough?: boolean;
  /** A query of the rows meeting it, through an index of its own, as one column `key` (the row's `id` or `rowid`). */
  candidates?: { select: RawBuilder<unknown>; key: 'id' | 'rowid' } | undefined;
}

export interface PageRequest<R> {
  table: 'stores' | 'items' | 'tags';
  /** Conditions that are a range of the sort order's index (a store, or a price range sorted by price). */
  served: RawBuilder<unknown>[];
  residuals: Residual[];
  /** The sort column, unqualified; the id breaks ties in the same direction. */
  order: { column: string; descending: boolean };
  /**
   * Another index to read the order from, joined to the table: a tag's links carry their item's sort values
   * (`item_tags.item_name`, …). Its `served` conditions replace the table's for the index and scan ways.
   */
  through?: { from: RawBuilder<unknown>; column: string; id: string; served: RawBuilder<unknown>[] } | undefined;
  sortValue(row: R): string | number;
  after: Position | undefined;
  limit: number;
}

export interface Page<R> {
  rows: R[];
  /** Where the next page starts; absent on the last page. */
  next: Position | undefined;
}

/**
 * How a page's statements are run. Without it each is built and compiled for this call. With it, `request` was
 * built with stand-ins for its values (`sql\`items.store_id = ${standIn('storeId')}\``, `after` of stand-ins), once
 * per `shape`, and each statement is compiled once per shape and dialect, then run with `values` and `limit`.
 */
export interface CompiledPage {
  shape: string;
  values: Record<string, unknown>;
  limit: number;
}

const pageQueries: CompiledCache = new Map();
const plans = new Map<string, Plan>();

export async function boundedPage<R extends { id: string }>(
  db: Db,
  request: PageRequest<R>,
  compiled?: CompiledPage,
): Promise<Page<R>> {
  const limit = compiled ? compiled.limit : request.limit;
  let plan = compiled && plans.get(compiled.shape);
  if (!plan) {
    plan = planOf(request, compiled ? standIn('take') : limit + 1);
    if (compiled) plans.set(compiled.shape, plan);
  }
  const values = compiled && { ...compiled.values, take: limit + 1 };
  // The index way reads about a page; the others may read up to a budget, so they go to a read worker if any.
  const workers = readWorkersOf(db);
  const run = async <T>(name: string, query: RawBuilder<T>): Promise<T[]> => {
    const statement =
      values && compiled
        ? compiledWith(
            db,
            pageQueries,
            `${compiled.shape} ${name}`,
            () => ({ compile: () => query.compile(db) }),
            values,
          )
        : query.compile(db);
    const { rows } = await (workers && name !== 'index' ? workers.query<T>(statement) : db.executeQuery(statement));
    return rows;
  };
  const pageOf = (rows: R[]): Page<R> => {
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { rows: rows.slice(0, limit), next: last && { value: request.sortValue(last), id: last.id } };
  };

  if (plan.index) return pageOf(await run('index', plan.index as RawBuilder<R>));

  for (const [i, candidates] of plan.candidates.entries()) {
    if (!candidates) continue;
    const [counted] = await run(`count ${i}`, candidates.count);
    if (Number(counted?.n ?? 0) > candidateLimit) continue;
    return pageOf(await run(`candidates ${i}`, candidates.page as RawBuilder<R>));
  }

  const rows = await run('scan', plan.scan as RawBuilder<R>);
  if (rows.length > limit) return pageOf(rows);
  const [stop] = await run('last read', plan.lastRead);
  return { rows, next: stop && { value: stop.value, id: stop.id } };
}

/** The statements of a page's three ways, built from the request (its values, or stand-ins for them). */
interface Plan {
  /** The index way, when every filter is a range of the sort order's index. */
  index?: RawBuilder<unknown>;
  /** Per residual with candidates, its capped count and the page read through them. */
  candidates: ({ count: RawBuilder<{ n: number | string }>; page: RawBuilder<unknown> } | undefined)[];
  scan: RawBuilder<unknown>;
  lastRead: RawBuilder<{ value: string | number; id: string }>;
}

function planOf(request: PageRequest<{ id: string }>, take: number | string): Plan {
  const { table, order, after, through } = request;
  const t = sql.table(table);
  const direction = sql.raw(order.descending ? 'desc' : 'asc');
  const keysetOn = (column: RawBuilder<unknown>, id: RawBuilder<unknown>) =>
    after ? [sql`(${column}, ${id}) ${sql.raw(order.descending ? '<' : '>')} (${after.value}, ${after.id})`] : [];
  const column = sql.ref(`${table}.${order.column}`);
  const id = sql.ref(`${table}.id`);
  const orderBy = sql`order by ${column} ${direction}, ${id} ${direction}`;
  const range = [...request.served, ...keysetOn(column, id)];
  const residual = request.residuals.map((r) => r.where);
  // The index and scan ways read the order from `through` when there is one.
  const ordered = through
    ? (() => {
        const c = sql.ref(through.column);
        const i = sql.ref(through.id);
        return {
          from: through.from,
          column: c,
          id: i,
          orderBy: sql`order by ${c} ${direction}, ${i} ${direction}`,
          range: [...through.served, ...keysetOn(c, i)],
          residual: request.residuals.filter((r) => !r.servedThrough).map((r) => r.where),
        };
      })()
    : { from: t, column, id, orderBy, range, residual };

  const index =
    ordered.residual.length === 0
      ? sql`select ${t}.* from ${ordered.from} ${where(ordered.range)} ${ordered.orderBy}
      limit ${take}`
      : undefined;

  const candidates = request.residuals.map(({ candidates }) => {
    if (!candidates) return undefined;
    const capped = sql`${candidates.select} limit ${candidateLimit + 1}`;
    // The capped candidates drive the join (SQLite keeps the written order of a CROSS JOIN); the few rows left
    // after the other filters are sorted.
    const key = sql.raw(`${table}.${candidates.key}`);
    return {
      count: sql<{ n: number | string }>`select count(*) as n from (${capped}) as c`,
      page: sql`select ${t}.* from (${capped}) as c cross join ${t}
      ${where([sql`${key} = c.key`, ...range, ...residual])} ${orderBy} limit ${take}`,
    };
  });

  // Read at most `scanBudget` rows of the sort order's index; keep those that pass.
  // Through another index, its order columns come along (as sort_key, sort_id) so that the outer query keeps the
  // order it was read in rather than sorting again.
  const read = sql`select ${t}.*${through ? sql`, ${ordered.column} as sort_key, ${ordered.id} as sort_id` : sql``}
    from ${ordered.from} ${where(ordered.range)} ${ordered.orderBy} limit ${scanBudget}`;
  const outerOrder = through
    ? sql`order by ${sql.ref(`${table}.sort_key`)} ${direction}, ${sql.ref(`${table}.sort_id`)} ${direction}`
    : orderBy;
  const scan = sql`select * from (${read}) as ${t} ${where(ordered.residual)} ${outerOrder}
    limit ${take}`;
  const lastRead = sql<{ value: string | number; id: string }>`select ${ordered.column} as value,
    ${ordered.id} as id from ${ordered.from} ${where(ordered.range)} ${ordered.orderBy}
    limit 1 offset ${scanBudget - 1}`;
  return { ...(index && { index }), candidates, scan, lastRead };
}

function where(conditions: RawBuilder<unknown>[]) {
  return conditions.length === 0 ? sql`` : sql`where ${sql.join(conditions, sql` and `)}`;
}
