import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';

/** The error code of a body whose bytes are not UTF-8; the error handler answers it 400. */
export const notUtf8 = 'STORES_BODY_NOT_UTF8';
/** The error code of a body with a lone surrogate escape (`"\ud800"`): text no UTF-8 can hold; answered 400. */
export const loneSurrogate = 'STORES_BODY_LONE_SURROGATE';

/**
 * JSON and JSON Merge Patch bodies are parsed by Fastify's own JSON parser (which guards against prototype
 * poisoning) once their bytes are known to be UTF-8, as JSON must be (RFC 8259 §8.1): decoding them regardless
 * would store U+FFFD in place of what the client meant. For the same reason a string escaping half a surrogate
 * pair (`"\ud800"`) is refused: it is not Unicode text. Every string is then put in Unicode normalization form C,
 * so that one text typed two ways (`Café` with a precomposed or a combining accent) is stored and compared as one.
 * Every other body type, text/plain included, is refused with 415.
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
      parseJson(request, bytes.toString('utf8'), (error, parsed) => {
        if (error) return done(error, undefined);
        const text = wellFormedText(parsed);
        if (text.ok) return done(null, text.value);
        const issue = `The body holds a lone surrogate ${text.where}; JSON text must be Unicode (RFC 8259 §8.2).`;
        done(Object.assign(new Error(issue), { statusCode: 400, code: loneSurrogate }), undefined);
      });
    },
  );
}

const surrogate = /\p{Surrogate}/u;

/**
 * The parsed body with every string in NFC, or where a lone surrogate is. Walked with a stack of its own, not by
 * recursion: a body may nest thousands of levels deep within the size limit.
 */
function wellFormedText(body: unknown): { ok: true; value: unknown } | { ok: false; where: string } {
  if (typeof body === 'string')
    return surrogate.test(body) ? { ok: false, where: 'in the body' } : { ok: true, value: body.normalize('NFC') };
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (surrogate.test(key)) return { ok: false, where: 'in a property name' };
      const value = record[key];
      if (typeof value === 'string') {
        if (surrogate.test(value)) return { ok: false, where: `in the value of "${key.slice(0, 50)}"` };
        record[key] = value.normalize('NFC');
      } else if (value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return { ok: true, value: body };
}
