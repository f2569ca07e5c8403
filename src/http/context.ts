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
  /** A stand-in hash (auth/passwords.ts `decoyHash`), checked when an e-mail address is unknown so that both take as long. */
  readonly decoyHash: string;
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

export type Judged = { ok: true; origin: string } | { ok: false; detail: string };

/**
 * Judges the origin absolute URLs are built on, or why the request is refused (a 400 detail). The Host (as the
 * request gave it, or a trusted proxy forwarded it) must be a plain host and port (`a b`, `x:99999`, `u@x`, `x/y`
 * are not) and, when `allowedHosts` is set, one of them: a client cannot make this API write links, cached or
 * not, to a host of its choosing. Links then use the configured public URL, or else that scheme and Host. Each
 * `scheme://host` is judged once and its verdict kept (at most 100, as hosts come from clients): parsing it as a
 * URL and matching the allowed hosts took about 1 % of a getStore.
 */
export function originJudge(
  publicUrl: string | undefined,
  allowedHosts: readonly string[] | undefined,
): (request: FastifyRequest) => Judged {
  if (publicUrl !== undefined && allowedHosts === undefined) {
    const fixed: Judged = { ok: true, origin: publicUrl };
    return () => fixed;
  }
  const verdicts = new Map<string, Judged>();
  return (request) => {
    const given = `${request.protocol}://${request.host}`;
    let verdict = verdicts.get(given);
    if (verdict === undefined) {
      verdict = judge(given, publicUrl, allowedHosts);
      if (verdicts.size >= 100) verdicts.clear();
      verdicts.set(given, verdict);
    }
    return verdict;
  };
}

function judge(given: string, publicUrl: string | undefined, allowedHosts: readonly string[] | undefined): Judged {
  const url = plainOrigin(given);
  if (url === undefined) return { ok: false, detail: 'The Host header is not a valid host.' };
  if (allowedHosts !== undefined && !allowedHosts.some((allowed) => hostMatches(url, allowed))) {
    return {
      ok: false,
      detail:
        'This API does not answer for the host this request names; its hosts are set in ALLOWED_HOSTS or PUBLIC_URL.',
    };
  }
  return { ok: true, origin: publicUrl ?? url.origin };
}

function plainOrigin(given: string): URL | undefined {
  try {
    const url = new URL(given);
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    return bare ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `api.example.com` allows that host on any port; `api.example.com:8443` on that port only. */
function hostMatches(url: URL, allowed: string): boolean {
  if (!allowed.includes(':') || (allowed.startsWith('[') && allowed.endsWith(']'))) return url.hostname === allowed;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}` === allowed;
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
