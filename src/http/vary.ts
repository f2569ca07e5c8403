import type { FastifyReply, onSendHookHandler } from 'fastify';

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

/**
 * Names each field of `Vary` once, whatever its case. @fastify/compress adds `accept-encoding` unless it finds that
 * exact lower-case text, so a `Vary: Accept-Encoding` set before it would otherwise go out with both. Runs after
 * compression, as each route's last onSend hook.
 */
export const varyOnce: onSendHookHandler = (_request, reply, payload, done) => {
  const current = reply.getHeader('vary');
  if (typeof current === 'string' && current.includes(',')) {
    const seen = new Set<string>();
    const fields = current.split(',').flatMap((raw) => {
      const field = raw.trim();
      const key = field.toLowerCase();
      if (field === '' || seen.has(key)) return [];
      seen.add(key);
      return [field];
    });
    reply.header('vary', fields.join(', '));
  }
  done(null, payload);
};
