import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';

/** The error code of a body whose bytes are not UTF-8; the error handler answers it 400. */
export const notUtf8 = 'STORES_BODY_NOT_UTF8';

/**
 * JSON and JSON Merge Patch bodies are parsed by Fastify's own JSON parser (which guards against prototype
 * poisoning) once their bytes are known to be UTF-8, as JSON must be (RFC 8259 §8.1): decoding them regardless
 * would store U+FFFD in place of what the client meant. Every other body type, text/plain included, is refused
 * with 415.
 */
export function registerJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    ['application/json', 'application/merge-patch+json'],
    { parseAs: 'buffer' },
    (request, body, done) => {
      const bytes = body as Buffer;
      if (!isUtf8(bytes)) {
        done(Object.assign(new Error('The body is not valid UTF-8.'), { statusCode: 400, code: notUtf8 }), undefined);
        return;
      }
      parseJson(request, bytes.toString('utf8'), done);
    },
  );
}
