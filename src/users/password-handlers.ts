import { passwordProblem } from '../auth/password-policy.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { revokeSignIns } from '../auth/repository.js';
import { signInThrottle } from '../auth/sign-in-throttle.js';
import type { Handler } from '../http/context.js';
import { forbidden, validationFailed } from '../http/problem.js';
import { findUser, setPasswordHash } from './repository.js';

/**
 * A new password for the signed-in user. The current one is checked under the same per-account throttle as
 * signing in, so a stolen access token cannot be used to guess it; then every other sign-in ends.
 */
export const changePassword: Handler<'changePassword'> = async ({ body, principal }, ctx) => {
  const user = await findUser(ctx.db, principal.userId);
  if (!user) throw new Error('an authenticated user has no row');
  const weak = passwordProblem(body.newPassword, user.email, '/newPassword');
  if (weak) return validationFailed([weak]);
  const throttle = signInThrottle(ctx.db, ctx.auth, user.email);
  const refused = await throttle.attempt();
  if (refused) return refused;
  if (!(await verifyPassword(body.currentPassword, user.password_hash))) {
    return forbidden('The current password is wrong.');
  }
  await throttle.succeeded();
  const hash = await hashPassword(body.newPassword, ctx.auth.config.passwordHashCost);
  await setPasswordHash(ctx.db, user.id, hash);
  await revokeSignIns(ctx.db, user.id, new Date().toISOString(), principal.sessionId);
  return { status: 204 };
};
