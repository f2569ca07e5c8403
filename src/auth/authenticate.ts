import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import type { Principal } from '../http/principal.js';
import type { Problem } from '../http/problem.js';
import { problem } from '../http/problem.js';
import { verifyAccessToken } from './access-tokens.js';
import { activeRole } from './repository.js';

export type Unauthorized = { status: 401; headers: { 'WWW-Authenticate': string }; body: Problem };
export type Authentication = { ok: true; principal: Principal } | { ok: false; reply: Unauthorized };

const realm = 'Bearer realm="stores-api"';

/**
 * A 401 with its RFC 6750 challenge: an error code only when a token (or a token in the URL) was sent. The
 * description is a quoted string, which may not hold `"` or `\` (RFC 6750 §3), so those are left out.
 */
export function unauthorized(detail: string, error?: 'invalid_token' | 'invalid_request'): Unauthorized {
  const description = detail.replace(/["\\]/g, "'");
  const challenge = error ? `${realm}, error="${error}", error_description="${description}"` : realm;
  return { ...problem(401, detail, '/problems/unauthorized'), headers: { 'WWW-Authenticate': challenge } };
}

/**
 * The token of a request, read as the `bearerAuth` scheme says: from the Authorization header and nowhere else,
 * or the 401 that says why there is none. The mock server (src/mock/) reads tokens this way too.
 */
export function readBearerToken(
  request: FastifyRequest,
): { ok: true; token: string } | { ok: false; reply: Unauthorized } {
  if (Object.hasOwn(request.query as object, 'access_token')) {
    return {
      ok: false,
      reply: unauthorized('Send the access token in the Authorization header, never in the URL.', 'invalid_request'),
    };
  }
  const header = request.headers.authorization;
  if (header === undefined) return { ok: false, reply: unauthorized('This operation needs an access token.') };
  // The scheme name is case-insensitive (RFC 9110 §11.1); the token is RFC 6750's b64token.
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  if (!match?.[1]) {
    return {
      ok: false,
      reply: unauthorized('The Authorization header must be "Bearer <access token>".', 'invalid_request'),
    };
  }
  return { ok: true, token: match[1] };
}

/**
 * The `bearerAuth` security scheme: a valid, unrevoked access token of an existing user, sent in the
 * Authorization header and nowhere else. Nothing from earlier requests is consulted: the token carries it all.
 */
export async function authenticateBearer(
  request: FastifyRequest,
  db: Db,
  secret: string,
  lifetimeSeconds: number,
): Promise<Authentication> {
  const sent = readBearerToken(request);
  if (!sent.ok) return sent;
  const verified = await verifyAccessToken(secret, sent.token, lifetimeSeconds);
  if (!verified.ok) return { ok: false, reply: unauthorized(verified.reason, 'invalid_token') };
  const { userId, tokenId, sessionId, expiresAt } = verified.claims;
  const role = await activeRole(db, userId, tokenId, sessionId);
  if (role === undefined) {
    return { ok: false, reply: unauthorized('The access token has been revoked.', 'invalid_token') };
  }
  return { ok: true, principal: { userId, role, tokenId, tokenExpiresAt: expiresAt, sessionId } };
}
