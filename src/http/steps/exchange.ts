import type { FastifyRequest } from 'fastify';
import type { Principal } from '../principal.js';
import type { RequestInput } from '../request-validator.js';
import type { AnyReply } from '../send-reply.js';

/** One request on its way through its operation's plan: what the steps so far have established. */
export interface Exchange {
  readonly request: FastifyRequest;
  /** Path, query, headers and body as the validators see them (they coerce and fill in defaults in place). */
  readonly input: RequestInput;
  /** Set by `authenticate`; undefined on public operations. */
  principal: Principal | undefined;
  /** The origin absolute URLs are built on; set by `judgeOrigin`. */
  origin: string;
}

/** A step's verdict that the request names nothing here after all: Fastify's 404 answers it. */
export const unrouted = Symbol('unrouted');

/** Why a step ends the request: the answer to send, or `unrouted`. */
export type Stop = AnyReply | typeof unrouted;

/**
 * One check of a plan: undefined lets the request go on, anything else ends it. A step that needs no I/O
 * answers synchronously, so the route handler awaits only the steps that do.
 */
export type Step = (exchange: Exchange) => Stop | undefined | Promise<Stop | undefined>;

/** Health probes come with whatever Host the orchestrator uses, and their answers carry no links. */
const probeOrigin = 'http://localhost';

export function exchangeOf(request: FastifyRequest, takesBody: boolean): Exchange {
  const input: RequestInput = {
    path: { ...(request.params as object) },
    query: { ...(request.query as object) },
    header: request.headers,
  };
  if (takesBody) input.requestBody = request.body;
  return { request, input, principal: undefined, origin: probeOrigin };
}
