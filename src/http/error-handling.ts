import type { FastifyError, FastifyInstance } from 'fastify';
import { operations } from '../../generated/operations.js';
import { unavailableDatabase } from '../db/unavailable.js';
import { corsForPath } from './cors.js';
import { loneSurrogate, notUtf8 } from './json-bodies.js';
import { malformed, problem } from './problem.js';
import { sendProblem } from './send-problem.js';
import { bodyTimedOut } from './timeouts.js';

const allowable = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Makes every error an application/problem+json answer: errors Fastify raises itself (malformed JSON, body too
 * large, unsupported media type), unknown routes (404), known paths with the wrong method (405 with `Allow`),
 * anything thrown by a handler (500, logged with the request id, saying nothing internal), except a database that
 * cannot serve now (gone, locked, full, read-only: 503 with Retry-After).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    const unavailable = status >= 500 ? unavailableDatabase(error) : undefined;
    if (unavailable) {
      // An outage of the database, not a bug: the client is told to come back, and one line says why.
      request.log.warn({ err: error }, 'database unavailable: answered 503');
      reply.header('retry-after', unavailable.retryAfter);
      return sendProblem(reply, problem(503, `${unavailable.detail} Try again in ${unavailable.retryAfter} s.`));
    }
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, problem(500, 'The server failed to answer this request. It has been logged.'));
    }
    return sendProblem(reply, clientProblem(error, status));
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, `Nothing is at ${request.method} ${request.url.split('?')[0]}.`)),
  );

  for (const [path, declared] of methodsByPath()) {
    const allowed: string[] = allowable.filter(
      (m) => declared.has(m) || (m === 'HEAD' && declared.has('GET')) || m === 'OPTIONS',
    );
    const allow = allowed.join(', ');
    app.route({
      // Every method Fastify routes (TRACE and QUERY included), so no method on a known path falls through to 404.
      method: app.supportedMethods.filter((m) => !allowed.includes(m)),
      url: path,
      // Answered on arrival: a body, or the Content-Type Fastify demands of a QUERY, is not looked at.
      onRequest: async (request, reply) => {
        if (Object.values(request.params as Record<string, string>).includes('')) return reply.callNotFound();
        return sendProblem(
          reply.header('allow', allow),
          problem(405, `${request.method} is not allowed here. Allowed: ${allow}.`, '/problems/method-not-allowed'),
        );
      },
      handler: async () => undefined,
    });
    app.options(path, { config: corsForPath(allowed) }, (_request, reply) =>
      reply.header('allow', allow).code(204).send(),
    );
  }
}

function clientProblem(error: FastifyError, status: number) {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return malformed('The body is not valid JSON.');
    case notUtf8:
      return malformed('The body is not valid UTF-8; JSON bodies must be UTF-8 (RFC 8259).');
    case loneSurrogate:
      return malformed(error.message);
    case bodyTimedOut:
      return problem(408, error.message, '/problems/request-timeout');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return malformed('The body is empty; this operation needs a JSON body.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'The body is larger than this server accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return status === 415
        ? problem(
            415,
            'The body has a Content-Type this API does not take: operations take application/json or, for PATCH, application/merge-patch+json.',
          )
        : malformed(error.message);
    default:
      if (error instanceof SyntaxError) return malformed('The body is not valid JSON.');
      return problem(status, error.message);
  }
}

function methodsByPath(): Map<string, Set<string>> {
  const byPath = new Map<string, Set<string>>();
  for (const operation of Object.values(operations)) {
    const methods = byPath.get(operation.route) ?? new Set<string>();
    methods.add(operation.method);
    byPath.set(operation.route, methods);
  }
  return byPath;
}
