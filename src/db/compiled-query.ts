import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { isPostgres } from './database.js';

/**
 * A query of the hot paths, built and compiled by Kysely once per dialect and shape, then run with each call's
 * values: the builder runs once, with a stand-in for each value (`args.id` is a marker, not an id), and the
 * compiled statement's parameters are matched back to the names they stood for. Building and compiling a query
 * took about a quarter of a getStore's time; now a call only fills in the parameters. On SQLite the statement
 * cache (statement-cache.ts) then finds the prepared statement by its SQL, so nothing is parsed again either.
 *
 * A value must go into the query as it is (`where('id', '=', args.id)`): a stand-in that was changed on the way
 * (`${args.q}%`) is caught when the query is compiled. `shape` names what else the SQL depends on (how many ids an
 * `in` list holds, say); each shape is compiled once.
 */
export function compiledOnce<A extends object, R, DB>(
  build: (db: Kysely<DB>, args: A, shape: number) => Compilable<R>,
): (db: Kysely<DB>, args: A, shape?: number) => Promise<R[]> {
  const cache: CompiledCache = new Map();
  return (db, args, shape = 0) => runCompiled(db, cache, String(shape), () => build(db, standIns as A, shape), args);
}

/** Compiled queries by dialect and shape. */
export type CompiledCache = Map<string, { query: CompiledQuery; slots: Slot[] }>;

/**
 * Runs the query `build` makes (with stand-ins for its values) for this shape, compiled on its first run on this
 * dialect, with the values of `args`.
 */
export async function runCompiled<R, DB>(
  db: Kysely<DB>,
  cache: CompiledCache,
  shape: string,
  build: () => Compilable<R>,
  args: object,
): Promise<R[]> {
  const { rows } = await db.executeQuery<R>(compiledWith(db, cache, shape, build, args));
  return rows;
}

/** The statement `runCompiled` would run, for a caller that runs it elsewhere (a read worker, say). */
export function compiledWith<R, DB>(
  db: Kysely<DB>,
  cache: CompiledCache,
  shape: string,
  build: () => Compilable<R>,
  args: object,
): CompiledQuery<R> {
  const key = `${isPostgres(db) ? 'postgres' : 'sqlite'} ${shape}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = compile(build());
    cache.set(key, entry);
  }
  const parameters = entry.slots.map((slot) =>
    slot.name === undefined ? slot.value : (args as Record<string, unknown>)[slot.name],
  );
  return { ...entry.query, parameters } as CompiledQuery<R>;
}

/** One parameter of a compiled query: a call's value by name, or a constant the builder put there. */
type Slot = { name: string; value?: undefined } | { name?: undefined; value: unknown };

const marker = '\u0000arg:';
const end = '\u0000';

/** `args.x` while building: a string no caller sends (it starts with NUL), naming the value it stands for. */
const standIns: Record<string, never> = new Proxy({}, { get: (_target, name) => standIn(String(name)) });

/** The stand-in for the value named `name`, for statements built by hand (as bounded-page.ts does). */
export function standIn(name: string): string {
  return `${marker}${name}${end}`;
}

function compile(query: Compilable<unknown>): { query: CompiledQuery; slots: Slot[] } {
  const compiled = query.compile();
  if (compiled.sql.includes(marker)) throw new Error(`compiledOnce: a value was written into the SQL: ${compiled.sql}`);
  const slots = compiled.parameters.map((value): Slot => {
    if (typeof value !== 'string' || !value.includes(marker)) return { value };
    const name = value.startsWith(marker) && value.endsWith(end) ? value.slice(marker.length, -end.length) : undefined;
    if (name === undefined || name.includes(end))
      throw new Error(`compiledOnce: a value was changed before it reached the query: ${value}`);
    return { name };
  });
  return { query: compiled, slots };
}
