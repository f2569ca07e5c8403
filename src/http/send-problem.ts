import type { FastifyReply } from 'fastify';
import type { Problem } from './problem.js';

/** Sends a problem as application/problem+json, naming the request path and the request id. */
export function sendProblem(reply: FastifyReply, problem: { status: number; body: Problem }): FastifyReply {
  const path = reply.request.url.split('?')[0] ?? '/';
  return reply
    .code(problem.status)
    .header('cache-control', 'no-store')
    .type('application/problem+json')
    .send({ ...problem.body, instance: problem.body.instance ?? path.slice(0, 2048), requestId: reply.request.id });
}
