import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CompiledQuery, QueryResult } from 'kysely';

/**
 * Read-only SQLite connections in worker threads, for the list reads that may cost more than a page: counting
 * name-search or price candidates, and reading up to the budget of a sort order (see bounded-page.ts). better-
 * sqlite3 runs a statement to its end on the thread that calls it; on the event loop, eight such reads at once
 * (a few milliseconds each on a million items) held up every other request behind them. Here the event loop only
 * posts the statement and awaits its rows, so a getStore is answered while they run.
 *
 * Each worker opens the database file read-only (WAL lets it read beside the writer; each statement sees every
 * commit made before it started, so a client reads its own writes) and keeps its prepared statements by SQL text.
 * There are one fewer than the CPUs (at least one): the event loop keeps a core of its own. A worker starts on the
 * first read it is given and is unreferenced while idle, so it never keeps a process alive.
 */
export class ReadWorkers {
  readonly #path: string;
  readonly #size: number;
  readonly #workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  #next = 0;
  #closed = false;
  /** How many statements the workers have been given. */
  statements = 0;

  constructor(path: string, size = Math.max(1, availableParallelism() - 1)) {
    this.#path = path;
    this.#size = size;
  }

  /** Runs a SELECT on a worker: the least busy one, started if there are fewer than `size`. */
  query<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#closed) return Promise.reject(new Error('The database is closed.'));
    const slot = this.#pick();
    const id = this.#next++;
    this.statements++;
    return new Promise<QueryResult<R>>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      slot.worker.postMessage({ id, sql: query.sql, parameters: query.parameters });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const workers = this.#workers.splice(0);
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  #pick() {
    const idle = this.#workers.find((w) => w.pending.size === 0);
    if (idle) return idle;
    if (this.#workers.length < this.#size) return this.#start();
    return this.#workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  #start() {
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { path: this.#path, betterSqlite3: require.resolve('better-sqlite3') },
    });
    const slot = { worker, pending: new Map<number, Pending>() };
    worker.unref();
    worker.on('message', (message: Reply) => {
      const pending = slot.pending.get(message.id);
      if (!pending) return;
      slot.pending.delete(message.id);
      if (slot.pending.size === 0) worker.unref();
      if (message.error) pending.reject(Object.assign(new Error(message.error.message), message.error.fields));
      else pending.resolve({ rows: message.rows ?? [] });
    });
    // A worker that dies fails what it had been given (an error of no database code: a 500, as for any bug) and
    // is replaced on the next read.
    const fail = (error: unknown) => {
      const index = this.#workers.indexOf(slot);
      if (index >= 0) this.#workers.splice(index, 1);
      const reason = error instanceof Error ? error : new Error(`A read worker stopped (${String(error)}).`);
      for (const pending of slot.pending.values()) pending.reject(reason);
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(code));
    this.#workers.push(slot);
    return slot;
  }
}

interface Pending {
  resolve(result: QueryResult<unknown>): void;
  reject(error: Error): void;
}

interface Reply {
  id: number;
  rows?: unknown[];
  error?: { message: string; fields: { name?: string; code?: string } };
}

const require = createRequire(import.meta.url);

/**
 * The worker: CommonJS evaluated from this string, so that the same code runs under tsx and from `dist/`. It
 * opens the file on its first statement; an error (SQLITE_BUSY, a file gone) goes back with its name and code,
 * so that the API answers it as it would the same error on the event loop (a 503 for a database that cannot
 * serve).
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.betterSqlite3);
let db;
const statements = new Map();
function prepare(sql) {
  let statement = statements.get(sql);
  if (statement) return statement;
  if (!db) {
    db = new SQLite(workerData.path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
  }
  statement = db.prepare(sql);
  if (statements.size >= 200) statements.delete(statements.keys().next().value);
  statements.set(sql, statement);
  return statement;
}
parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    parentPort.postMessage({ id, rows: prepare(sql).all(parameters) });
  } catch (error) {
    const message = error && error.message ? String(error.message) : String(error);
    parentPort.postMessage({ id, error: { message, fields: { name: error && error.name, code: error && error.code } } });
  }
});
`;
