import type { HandlerContext } from './context.js';
import type { Position } from './cursor.js';
import { malformed } from './problem.js';

/** A `sort` value such as `-price`, split into the field and its direction. */
export function parseSort<S extends string>(sort: S): { field: SortField<S>; descending: boolean } {
  const descending = sort.startsWith('-');
  return { field: (descending ? sort.slice(1) : sort) as SortField<S>, descending };
}

type SortField<S extends string> = S extends `-${infer F}` ? F : S;

/** Reads the `cursor` parameter: no cursor starts at the beginning; a bad one is a 400 problem. */
export function readCursor(ctx: HandlerContext, scope: unknown, cursor: string | undefined) {
  if (cursor === undefined) return { ok: true as const, position: undefined };
  const decoded = ctx.cursors.decode(scope, cursor);
  return decoded.ok
    ? { ok: true as const, position: decoded.position }
    : { ok: false as const, problem: malformed(decoded.reason) };
}

/** The absolute URL of the next page: the same path and query, with the cursor after the last row. */
export function nextLink(
  ctx: HandlerContext,
  path: string,
  query: Record<string, string | number | undefined>,
  scope: unknown,
  last: Position | undefined,
): string | undefined {
  if (last === undefined) return undefined;
  return ctx.url(path, { ...query, cursor: ctx.cursors.encode(scope, last) });
}
