import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OperationId, operations } from '../../generated/operations.js';
import { etagOf, noneMatch } from './conditional.js';
import type { Problem } from './problem.js';
import { sendProblem } from './send-problem.js';

type Operation = (typeof operations)[OperationId];

/** Any operation's reply, as the binding handles it once the handler's own type has been checked. */
export interface AnyReply {
  status: number;
  headers?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

interface DeclaredResponse {
  contentType: string | null;
  headers: readonly { name: string; owner: 'binding' | 'handler'; value?: string }[];
}

/**
 * Sends a reply as the spec declares it: the handler's headers, the headers the spec pins to one value, an ETag
 * over the exact bytes sent, and the body in its media type. A GET whose `If-None-Match` holds the current ETag
 * gets the 304 the spec declares instead, with no body.
 */
export function send(
  reply: FastifyReply,
  operation: Operation,
  result: AnyReply,
  request?: FastifyRequest,
): FastifyReply {
  const responses = operation.responses as Record<number, DeclaredResponse>;
  const declared = responses[result.status];
  reply.code(result.status);
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (value !== undefined) reply.header(name, String(value));
  }
  for (const header of declared?.headers ?? []) {
    if (header.value !== undefined) reply.header(header.name, header.value);
  }
  if (declared?.headers.some((h) => h.name === 'ETag') && result.body !== undefined) {
    const serialized = JSON.stringify(result.body);
    const etag = etagOf(serialized);
    // A validated representation may be sent compressed: caches must key it by Accept-Encoding, 304s included.
    reply.header('etag', etag).header('vary', 'Accept-Encoding');
    const notModified = responses[304];
    if (notModified && request && !noneMatch(request.headers['if-none-match'], etag)) {
      for (const header of notModified.headers) if (header.value !== undefined) reply.header(header.name, header.value);
      return reply.code(304).send();
    }
    return reply.type(declared.contentType ?? 'application/json').send(serialized);
  }
  if (!declared?.contentType || result.body === undefined) return reply.send();
  if (declared.contentType === 'application/problem+json') {
    return sendProblem(reply, { status: result.status, body: result.body as Problem });
  }
  return reply.type(declared.contentType).send(result.body);
}
