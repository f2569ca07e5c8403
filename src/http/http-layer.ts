import compress from '@fastify/compress';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, onSendHookHandler } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** The CSP for API responses: nothing may load, nothing may frame them. */
const apiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The CSP for the pages a person opens (`/`, `/docs`): Swagger UI's own scripts and styles (it sets inline
 * styles and data: icons) and calls to this origin for "Try it out"; still never framed.
 */
const pagePolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export function usePagePolicy(reply: FastifyReply): void {
  reply.header('content-security-policy', pagePolicy);
}

/**
 * What every response gets from the HTTP layer, errors included: security headers (helmet's, and our CSP), CORS
 * for the configured origins only (never an arbitrary one echoed back), and compression when the client asks.
 */
export async function registerHttpLayer(app: FastifyInstance, corsOrigins: readonly string[]): Promise<void> {
  const headers = {
    ...helmetHeaders({
      contentSecurityPolicy: false,
      frameguard: { action: 'deny' },
      crossOriginResourcePolicy: { policy: corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' },
    }),
    'content-security-policy': apiPolicy,
  };
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  if (corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...corsOrigins],
      credentials: false,
      maxAge: 600,
      // Our own OPTIONS routes answer (204 with Allow); CORS only adds its headers to them.
      preflightContinue: true,
      strictPreflight: false,
      exposedHeaders: [
        'Location',
        'ETag',
        'X-Request-Id',
        'WWW-Authenticate',
        'Retry-After',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
      ],
    });
  }
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  // A validator must differ per content encoding (RFC 9110 §8.8.3): the compressed bytes get their own tag.
  // Compression runs as each route's own onSend hook, so this one is appended after it, route by route.
  app.addHook('onRoute', (route) => {
    const hooks = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.onSend = [...hooks, tagEncoding];
  });
}

const tagEncoding: onSendHookHandler = (_request, reply, payload, done) => {
  const encoding = reply.getHeader('content-encoding');
  const etag = reply.getHeader('etag');
  if (typeof encoding === 'string' && typeof etag === 'string' && !etag.endsWith(`-${encoding}"`)) {
    reply.header('etag', `${etag.slice(0, -1)}-${encoding}"`);
  }
  done(null, payload);
};

/**
 * The headers helmet sets, worked out once: they are the same for every response, so running its dozen
 * middlewares per request would only repeat the same work.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as never, response as never, () => {});
  return headers;
}
