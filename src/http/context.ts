import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Handler as GeneratedHandler, OperationId } from '../../generated/operations.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Lifecycle } from '../health/lifecycle.js';
import type { CursorCodec } from './cursor.js';
import type { Principal } from './principal.js';

/** What signing in and registering need. */
export interface AuthSettings {
  readonly config: Pick<
    Config,
    'accessTokenTtl' | 'refreshTokenTtl' | 'passwordHashCost' | 'signInFreeFailures' | 'signInMaxDelay'
  > & { readonly jwtSecret: string };
  /** Keys the hashes of e-mail addresses in the sign-in failure table. */
  readonly hashKey: Buffer;
  /**
   * The hash of a random password, checked when an e-mail address is unknown so that both take as long. Made at
   * start-up without holding it up (scrypt runs on the thread pool while the rest starts).
   */
  readonly decoyHash: Promise<string>;
}

/** What every handler gets besides its typed request: the database and what it needs to answer over HTTP. */
export interface HandlerContext {
  readonly db: Db;
  readonly cursors: CursorCodec;
  readonly auth: AuthSettings;
  readonly log: FastifyBaseLogger;
  /** Whether the instance is serving or shutting down. */
  readonly lifecycle: Lifecycle;
  /** The absolute URL of a path on this API, with the given query (undefined values left out). */
  url(path: string, query?: Record<string, string | number | undefined>): string;
}

export type Handler<K extends OperationId> = GeneratedHandler<K, HandlerContext, Principal>;

/** Origins already judged, by `scheme://host` as the request gave them; bounded, as hosts come from clients. */
const judgedOrigins = new Map<string, string | undefined>();

/**
 * The origin absolute URLs are built on: the configured public URL, or else the scheme and Host of the request,
 * when the Host is a plain host and port. Anything else (`a b`, `x:99999`, `u@x`, `x/y`) is undefined.
 */
export function originOf(request: FastifyRequest, publicUrl: string | undefined): string | undefined {
  if (publicUrl !== undefined) return publicUrl;
  const given = `${request.protocol}://${request.host}`;
  if (judgedOrigins.has(given)) return judgedOrigins.get(given);
  let origin: string | undefined;
  try {
    const url = new URL(given);
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    origin = bare ? url.origin : undefined;
  } catch {
    origin = undefined;
  }
  if (judgedOrigins.size >= 100) judgedOrigins.clear();
  judgedOrigins.set(given, origin);
  return origin;
}

export function createContext(
  request: FastifyRequest,
  origin: string,
  deps: { cursors: CursorCodec; auth: AuthSettings; lifecycle: Lifecycle },
  db: Db,
): HandlerContext {
  return {
    db,
    cursors: deps.cursors,
    auth: deps.auth,
    lifecycle: deps.lifecycle,
    log: request.log,
    url: (path, query = {}) => {
      const url = new URL(path, origin);
      for (const [name, value] of Object.entries(query)) {
        if (value !== undefined) url.searchParams.set(name, String(value));
      }
      return url.href;
    },
  };
}
