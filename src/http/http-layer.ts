import compress from '@fastify/compress';
import type { FastifyInstance, FastifyReply } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { tagEncoding } from './conditional.js';
import { registerCors } from './cors.js';
import { bodyTimedOut } from './timeouts.js';
import { varyOnce } from './vary.js';

/**
 * The security headers of an API response (JSON, problem+json, the spec): the set OWASP's REST Security Cheat
 * Sheet asks of an API (`nosniff`, a CSP that lets nothing load and nothing frame, `X-Frame-Options: DENY`,
 * HSTS) and the Cross-Origin-Resource-Policy. helmet's other headers steer how a browser treats an HTML
 * document (its opener, DNS prefetching, IE's download prompt, Flash policies, the XSS auditor, the referrer of
 * its links): the pages get them, API responses do not. Each header costs every response its bytes and Node's
 * per-header checks.
 */
function apiHeaders(corsOrigins: readonly string[]): Record<string, string> {
  return helmetHeaders(apiHelmetOptions(corsOrigins));
}

/** Helmet's options for the API's answers (the benchmark's baseline registers @fastify/helmet with the same). */
export function apiHelmetOptions(corsOrigins: readonly string[]): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    crossOriginResourcePolicy: { policy: corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' },
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    referrerPolicy: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  };
}

/**
 * The headers of the pages a person opens (`/`, `/docs`): all of helmet's, with a CSP that lets Swagger UI run its
 * own scripts and styles (it sets inline styles and data: icons) and call this origin for "Try it out"; still
 * never framed.
 */
const pageHeaders = helmetHeaders({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  },
  frameguard: { action: 'deny' },
});

export function usePageHeaders(reply: FastifyReply): void {
  reply.headers(pageHeaders);
}

/**
 * What every response gets from the HTTP layer, errors included: its request id, the security headers above,
 * CORS for the configured origins only (never an arbitrary one echoed back), and compression when the client
 * asks. The headers are worked out once and set by one hook: it runs on every request.
 */
export async function registerHttpLayer(app: FastifyInstance, corsOrigins: readonly string[]): Promise<void> {
  const headers = apiHeaders(corsOrigins);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id).headers(headers);
    done();
  });
  await registerCors(app, corsOrigins);
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip', 'deflate'],
    // A compressed body's stream errors reach the decompression, which calls them all an invalid payload (400).
    // One that stopped arriving (timeouts.ts) is kept as it is, so that it is answered 408 like any other.
    onInvalidRequestPayload: (_encoding, _request, error) =>
      (error as { code?: string }).code === bodyTimedOut ? error : undefined,
  });
  // Compression runs as each route's own onSend hook; the ETag of the compressed bytes is tagged after it, and the
  // Vary it extended is made to name each field once.
  app.addHook('onRoute', (route) => {
    const hooks = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.onSend = [...hooks, tagEncoding, varyOnce];
  });
}

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
