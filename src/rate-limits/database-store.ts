import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../db/database.js';
import { countRequest, readCount } from './repository.js';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A store for @fastify/rate-limit that counts in the database (`rate_limit_windows`), so that every instance on
 * one database shares each client's count: behind N instances a client still gets the limit once, not N times.
 * The library keeps deciding and answering (429, `Retry-After`, `RateLimit-*`); this only counts.
 *
 * A failed count is passed on as an error and the request is not served: the error handler answers a database
 * that cannot serve with 503 and `Retry-After` (fail closed). The limited operations (sign-up, sign-in,
 * refresh) need the same database to do their work, so letting them through unlimited would gain nothing.
 */
export function databaseStore(db: Db): FastifyRateLimitStoreCtor {
  class DatabaseStore implements FastifyRateLimitStore {
    /** What this store's counts are of (an operationId); each limited route has its own, as in memory. */
    private readonly scope: string;

    /** The library constructs the root store with its settings; `child` makes one per route with its scope. */
    constructor(scope: unknown) {
      this.scope = typeof scope === 'string' ? scope : '';
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      countRequest(db, this.keyOf(key), timeWindow).then(
        ({ hits, ttlMs }) => callback(null, { current: hits, ttl: ttlMs }),
        (error: Error) => callback(error),
      );
    }

    read(key: string, callback: Callback): void {
      readCount(db, this.keyOf(key)).then(
        ({ hits, ttlMs }) => callback(null, { current: hits, ttl: ttlMs }),
        (error: Error) => callback(error),
      );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      return new DatabaseStore(scopeOf(routeOptions));
    }

    private keyOf(client: string): string {
      return `${this.scope}|${client}`;
    }
  }
  return DatabaseStore;
}

/**
 * The library hands `child` the route's merged limit settings, the route itself under `routeInfo`; the binding
 * names every route's operation in its config. A route without one is named by its method and URL.
 */
function scopeOf(options: object): string {
  const route = (options as { routeInfo?: { config?: { operationId?: unknown }; method?: unknown; url?: unknown } })
    .routeInfo;
  const operationId = route?.config?.operationId;
  if (typeof operationId === 'string') return operationId;
  return `${String(route?.method ?? '')} ${String(route?.url ?? '')}`;
}
