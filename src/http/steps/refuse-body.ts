import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '../problem.js';
import { type ReplyPlan, send } from '../send-reply.js';

/**
 * For an operation that takes no body, as an onRequest hook: a body is refused before it is read (so never a 413
 * or 415 there). A Content-Type without a body says nothing; left in place, Fastify would try to parse the empty
 * body by that type and answer 415 or 400 for a request that is fine.
 */
export function refuseBody(replies: ReplyPlan) {
  return function refuseUnexpectedBody(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    if (hasBody(request)) send(reply, replies, problem(400, 'This operation takes no request body.'));
    else {
      if (request.headers['content-type'] !== undefined) delete request.headers['content-type'];
      done();
    }
  };
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}
