import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { type OperationId, operations } from '../../generated/operations.js';

/**
 * CORS for the origins in `CORS_ORIGINS`, read from the spec: a preflight allows the methods its path has (set
 * per path by `corsForPath`), the request headers the spec declares, and a browser app may read every response
 * header the spec declares. Each allowed origin is echoed back alone, with `Vary: Origin`; any other origin gets
 * no CORS header at all, so the browser refuses to let its page read the answer.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  await app.register(cors, {
    origin: [...origins],
    credentials: false,
    // Chromium caps a preflight's cache at 2 hours; Firefox would keep it a day.
    maxAge: 7200,
    // Our own OPTIONS routes answer (204 with Allow); CORS adds its headers to them.
    preflightContinue: true,
    strictPreflight: false,
    methods: [],
    allowedHeaders: requestHeaders(),
    exposedHeaders: responseHeaders(),
  });
}

/** The route config of the OPTIONS route of a path: its preflight allows exactly the path's methods. */
export function corsForPath(allowed: readonly string[]): { cors: { methods: string[] } } {
  return { cors: { methods: allowed.filter((method) => method !== 'OPTIONS') } };
}

/**
 * What a browser may send: the header parameters of every operation, `Authorization` for the bearer token,
 * `Content-Type` for JSON bodies, and `X-Request-Id`, which the server takes as the request's id.
 */
function requestHeaders(): string[] {
  const names = new Set(['Authorization', 'Content-Type', 'X-Request-Id']);
  for (const id of Object.keys(operations) as OperationId[]) {
    for (const name of operations[id].headerParameters) names.add(name);
  }
  return [...names];
}

/**
 * Every response header the spec declares that a page cannot read without being told: all of them but the
 * CORS-safelisted (`Cache-Control`) and CORS's own.
 */
function responseHeaders(): string[] {
  const names = new Set<string>();
  for (const id of Object.keys(operations) as OperationId[]) {
    const responses = operations[id].responses as Record<number, { headers: readonly { name: string }[] }>;
    for (const response of Object.values(responses)) for (const { name } of response.headers) names.add(name);
  }
  return [...names].filter((name) => name !== 'Cache-Control' && !name.startsWith('Access-Control-'));
}
