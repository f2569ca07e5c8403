import type { FastifyReply } from 'fastify';

/**
 * Adds a request header to `Vary`, keeping what is there: CORS puts `Origin` in it and compression
 * `Accept-Encoding`, and a cache must key the answer by both.
 */
export function varyOn(reply: FastifyReply, field: string): FastifyReply {
  const current = reply.getHeader('vary');
  if (current === undefined || current === '') return reply.header('vary', field);
  const fields = String(current);
  if (
    fields
      .toLowerCase()
      .split(/\s*,\s*/)
      .includes(field.toLowerCase())
  )
    return reply;
  return reply.header('vary', `${fields}, ${field}`);
}
