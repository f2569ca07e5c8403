import { uuidv7 } from 'uuidv7';
import type { Handler } from '../http/context.js';
import { findUserByEmail } from '../users/repository.js';
import { issueAccessToken } from './access-tokens.js';
import { unauthorized } from './authenticate.js';
import { verifyPassword } from './passwords.js';
import { issueRefreshToken, revoke, spend } from './refresh-tokens.js';
import { revokeAccessToken, revokeSignIns } from './repository.js';
import { signInThrottle } from './sign-in-throttle.js';

export const createToken: Handler<'createToken'> = async ({ body }, ctx) => {
  // The account's attempts are counted before the password is looked at, known address or not (429 when it must
  // still wait); only a success clears them.
  const throttle = signInThrottle(ctx.db, ctx.auth, body.email);
  const refused = await throttle.attempt();
  if (refused) return refused;
  const user = await findUserByEmail(ctx.db, body.email);
  // An unknown address costs one hash too, so that timing does not tell which addresses have accounts.
  const valid = await verifyPassword(body.password, user?.password_hash ?? ctx.auth.decoyHash);
  if (!user || !valid) return unauthorized('The e-mail address or the password is wrong.');
  await throttle.succeeded();
  return { status: 200, body: await tokenPair(ctx, user.id, uuidv7()) };
};

export const revokeAllTokens: Handler<'revokeAllTokens'> = async ({ principal }, ctx) => {
  await revokeSignIns(ctx.db, principal.userId, new Date().toISOString());
  return { status: 204 };
};

export const refreshToken: Handler<'refreshToken'> = async ({ body }, ctx) => {
  const rotation = await spend(ctx.db, body.refreshToken);
  if (!rotation.ok) return unauthorized(rotation.reason, 'invalid_token');
  return { status: 200, body: await tokenPair(ctx, rotation.userId, rotation.familyId) };
};

export const revokeToken: Handler<'revokeToken'> = async ({ body, principal }, ctx) => {
  await revoke(ctx.db, body.refreshToken, principal.userId);
  const expiresAt = new Date(principal.tokenExpiresAt * 1000).toISOString();
  await revokeAccessToken(ctx.db, principal.tokenId, expiresAt, new Date().toISOString());
  return { status: 204 };
};

/** An access token and a refresh token of one sign-in (`familyId`): a new one at sign-in, the same on refresh. */
export async function tokenPair(ctx: Parameters<Handler<'createToken'>>[1], userId: string, familyId: string) {
  const { jwtSecret, accessTokenTtl, refreshTokenTtl } = ctx.auth.config;
  return {
    accessToken: await issueAccessToken(jwtSecret, userId, familyId, accessTokenTtl),
    refreshToken: await issueRefreshToken(ctx.db, userId, refreshTokenTtl, familyId),
    tokenType: 'Bearer' as const,
    expiresIn: accessTokenTtl,
  };
}
