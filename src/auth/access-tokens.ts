import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export const issuer = 'stores-api';
export const audience = 'stores-api';

export interface AccessClaims {
  userId: string;
  tokenId: string;
  /** The sign-in this token belongs to (the refresh-token family): signing out or a detected theft ends it. */
  sessionId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/**
 * A short-lived HS256 JWT naming the user (`sub`) and the sign-in (`sid`), with its own id (`jti`), so that it
 * can be revoked alone or with its whole sign-in.
 */
export async function issueAccessToken(
  secret: string,
  userId: string,
  sessionId: string,
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(userId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

/** How far the clocks of this API's instances (and so `iat` and `exp`) may disagree, in seconds, both ways. */
export const clockLeeway = 30;

/**
 * Verifies as RFC 8725 advises: the algorithm is pinned here (a token asking for `none` or RS256 is refused),
 * and issuer, audience, expiry, subject and token id must all be present and right. Times get `clockLeeway`
 * either way and no more: a token issued in the future, older than the lifetime the API gives its tokens, or
 * made to live longer than that lifetime (`exp - iat`), is refused, whoever signed it.
 */
export async function verifyAccessToken(
  secret: string,
  token: string,
  lifetimeSeconds: number,
): Promise<{ ok: true; claims: AccessClaims } | { ok: false; reason: string }> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      issuer,
      audience,
      requiredClaims: ['sub', 'jti', 'sid', 'exp', 'iat'],
      clockTolerance: clockLeeway,
      maxTokenAge: lifetimeSeconds,
    });
    if (Number(payload.exp) - Number(payload.iat) > lifetimeSeconds) {
      return { ok: false, reason: 'The access token claims a longer life than this API gives its tokens.' };
    }
    const claims = {
      userId: String(payload.sub),
      tokenId: String(payload.jti),
      sessionId: String(payload.sid),
      expiresAt: Number(payload.exp),
    };
    return { ok: true, claims };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'The access token has expired.' };
    return { ok: false, reason: 'The access token is not valid.' };
  }
}
