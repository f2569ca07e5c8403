import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export const issuer = 'stores-api';
export const audience = 'stores-api';

export interface AccessClaims {
  userId: string;
  tokenId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** A short-lived HS256 JWT naming the user (`sub`), with its own id (`jti`) so that it can be revoked. */
export async function issueAccessToken(secret: string, userId: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(userId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

/**
 * Verifies as RFC 8725 advises: the algorithm is pinned here (a token asking for `none` or RS256 is refused),
 * and issuer, audience, expiry, subject and token id must all be present and right.
 */
export async function verifyAccessToken(
  secret: string,
  token: string,
): Promise<{ ok: true; claims: AccessClaims } | { ok: false; reason: string }> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      issuer,
      audience,
      requiredClaims: ['sub', 'jti', 'exp', 'iat'],
    });
    return {
      ok: true,
      claims: { userId: String(payload.sub), tokenId: String(payload.jti), expiresAt: Number(payload.exp) },
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'The access token has expired.' };
    return { ok: false, reason: 'The access token is not valid.' };
  }
}
