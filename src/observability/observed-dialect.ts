import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type {
  AbortableOperationOptions,
  CompiledQuery,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  Driver,
  Kysely,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { recordingMetrics, recordStatement, statementKindIndex } from './metrics.js';
import { activeTracer } from './tracing.js';

export type DbSystem = 'sqlite' | 'postgresql';

/**
 * A Kysely dialect that counts and times every statement the inner dialect's driver runs, queries and
 * `begin`/`commit` alike (`stores_api_db_statements_total`, `stores_api_db_statement_seconds_total`), and, while tracing is on and a request is being
 * traced, records each one as a child span of the request's span. It wraps the driver's connections and
 * changes nothing else: same adapter (so `isPostgres` still holds), compiler and introspector. Statement text
 * is the compiled SQL with its placeholders, never the values bound to them.
 */
export function observedDialect(inner: Dialect, system: DbSystem): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>): DatabaseIntrospector => inner.createIntrospector(db),
    createDriver: () => new ObservedDriver(inner.createDriver(), system),
  };
}

class ObservedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly system: DbSystem,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery, options?: AbortableOperationOptions): Promise<QueryResult<R>> {
    const tracer = activeTracer();
    const parent = tracer && trace.getSpan(context.active());
    const kind = parent ? statementKind(compiledQuery.sql) : undefined;
    const span =
      kind === undefined
        ? undefined
        : tracer?.startSpan(kind, {
            kind: SpanKind.CLIENT,
            attributes: {
              'db.system.name': this.system,
              'db.operation.name': kind,
              'db.query.text': compiledQuery.sql,
            },
          });
    if (!span && !recordingMetrics()) return this.inner.executeQuery<R>(compiledQuery, options);
    const started = performance.now();
    let ok = false;
    try {
      const result = await this.inner.executeQuery<R>(compiledQuery, options);
      ok = true;
      return result;
    } catch (error) {
      span?.recordException(error as Error);
      span?.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      recordStatement(this.system, kindIndexOf(compiledQuery.sql), ok, (performance.now() - started) / 1000);
      span?.end();
    }
  }

  streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize: number,
    options?: AbortableOperationOptions,
  ): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiledQuery, chunkSize, options);
  }
}

class ObservedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly system: DbSystem,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new ObservedConnection(await this.inner.acquireConnection(), this.system);
  }

  // Transaction statements go through the observed connection, so they are timed and traced too.
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]) {
    if (!this.inner.savepoint) throw new Error('this dialect has no savepoints');
    return this.inner.savepoint(connection, name, compile);
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['rollbackToSavepoint']>>[2],
  ) {
    if (!this.inner.rollbackToSavepoint) throw new Error('this dialect has no savepoints');
    return this.inner.rollbackToSavepoint(connection, name, compile);
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['releaseSavepoint']>>[2],
  ) {
    if (!this.inner.releaseSavepoint) throw new Error('this dialect has no savepoints');
    return this.inner.releaseSavepoint(connection, name, compile);
  }

  // The inner driver gets back the connection it gave: PostgreSQL's releases the pool client through it.
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as ObservedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

const kinds = new Set(['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback', 'savepoint']);

/** The statement's first keyword when it is one of a fixed few, else `other`: a bounded label and span name. */
/** Each statement text's kind, found once: the hot paths run the same few texts (src/db/compiled-query.ts). */
const kindIndexes = new Map<string, number>();

function kindIndexOf(sql: string): number {
  let index = kindIndexes.get(sql);
  if (index === undefined) {
    index = statementKindIndex(statementKind(sql));
    // Texts built per request (an IN list of n values) are not kept past a bound.
    if (kindIndexes.size < 1000) kindIndexes.set(sql, index);
  }
  return index;
}

export function statementKind(sql: string): string {
  const word = /^\s*([a-z]+)/i.exec(sql)?.[1]?.toLowerCase() ?? 'other';
  return kinds.has(word) ? word : 'other';
}
