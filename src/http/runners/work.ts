import type { Db } from '../../db/database.js';
import type { Lifecycle } from '../../health/lifecycle.js';
import { type AuthSettings, createContext, type HandlerContext } from '../context.js';
import type { CursorCodec } from '../cursor.js';
import type { AnyReply } from '../send-reply.js';
import type { Exchange } from '../steps/exchange.js';

/** A handler as the binding drives it: each handler's own types are checked by the generated `Handlers` type. */
export type AnyHandler = (request: unknown, ctx: HandlerContext) => Promise<AnyReply>;

/** What the handler of a request does, on the given database or transaction. */
export type Work = (exchange: Exchange, db: Db) => Promise<AnyReply>;

/** How a plan answers a request once its steps have passed: plain, idempotent or If-Match. */
export type Runner = (exchange: Exchange) => Promise<AnyReply>;

export interface ContextDeps {
  cursors: CursorCodec;
  auth: AuthSettings;
  lifecycle: Lifecycle;
}

/** Calls the operation's handler with its typed request: validated parameters, the header parameters it declares. */
export function callHandler(handler: AnyHandler, headerNames: readonly string[], deps: ContextDeps): Work {
  return (exchange, db) => {
    const { input } = exchange;
    const request = {
      path: input.path,
      query: input.query,
      headers: headerNames.length === 0 ? {} : headersOf(input.header, headerNames),
      body: input.requestBody,
      principal: exchange.principal,
    };
    return handler(request, createContext(exchange.request, exchange.origin, deps, db));
  };
}

/** Calls a GET handler for the current representation of what a change is about (its path, nothing else). */
export function callReader(reader: AnyHandler, deps: ContextDeps): Work {
  return (exchange, db) =>
    reader(
      { path: exchange.input.path, query: {}, headers: {}, principal: exchange.principal },
      createContext(exchange.request, exchange.origin, deps, db),
    );
}

function headersOf(header: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const name of names) headers[name] = header[name.toLowerCase()];
  return headers;
}
