import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Handler as GeneratedHandler, OperationId } from '../../generated/operations.js';
import type { Db } from '../db/database.js';
import type { CursorCodec } from './cursor.js';

/** What every handler gets besides its typed request: the database and what it needs to answer over HTTP. */
export interface HandlerContext {
  readonly db: Db;
  readonly cursors: CursorCodec;
  readonly log: FastifyBaseLogger;
  /** The absolute URL of a path on this API, with the given query (undefined values left out). */
  url(path: string, query?: Record<string, string | number | undefined>): string;
}

export type Handler<K extends OperationId> = GeneratedHandler<K, HandlerContext>;

export function createContext(request: FastifyRequest, db: Db, cursors: CursorCodec): HandlerContext {
  const origin = `${request.protocol}://${request.host}`;
  return {
    db,
    cursors,
    log: request.log,
    url(path, query = {}) {
      const url = new URL(path, origin);
      for (const [name, value] of Object.entries(query)) {
        if (value !== undefined) url.searchParams.set(name, String(value));
      }
      return url.href;
    },
  };
}
