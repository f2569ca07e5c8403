import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.js';

// After a leak, a user must be able to take the account back: change the password (which needs the old one and
// ends every other sign-in) and sign out everywhere.

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const signIn = async (email: string, password: string): Promise<TestUser> => {
  const response = await t.request({ method: 'POST', url: '/auth/tokens', as: null, payload: { email, password } });
  expect(response.statusCode).toBe(200);
  return { id: t.user.id, email, password, ...response.data };
};
const me = (as: TestUser) => t.request({ method: 'GET', url: '/users/me', as });
const refresh = (as: TestUser) =>
  t.request({ method: 'POST', url: '/auth/tokens/refresh', as: null, payload: { refreshToken: as.refreshToken } });
const changePassword = (as: TestUser, currentPassword: string, newPassword: string) =>
  t.request({ method: 'PUT', url: '/users/me/password', as, payload: { currentPassword, newPassword } });

describe('changing the password', () => {
  it('needs the current password, ends every other sign-in, and keeps this one', async () => {
    const laptop = t.user;
    const thief = await signIn(t.user.email, t.user.password);
    const wrong = await changePassword(thief, 'not the password', 'a thief chose this');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.data.detail).toBe('The current password is wrong.');

    const changed = await changePassword(laptop, t.user.password, 'a brand new passphrase');
    expect(changed.statusCode).toBe(204);
    expect((await me(laptop)).statusCode).toBe(200);
    expect((await me(thief)).statusCode).toBe(401);
    expect((await refresh(thief)).statusCode).toBe(401);
    const old = await t.request({
      method: 'POST',
      url: '/auth/tokens',
      as: null,
      payload: { email: t.user.email, password: t.user.password },
    });
    expect(old.statusCode).toBe(401);
    await signIn(t.user.email, 'a brand new passphrase');
  });

  it('refuses a new password that breaks a rule, naming it, and changes nothing', async () => {
    const response = await changePassword(t.user, t.user.password, 'password1');
    expect(response.statusCode).toBe(400);
    expect(response.data.errors).toEqual([expect.objectContaining({ pointer: '/newPassword' })]);
    await signIn(t.user.email, t.user.password);
  });

  it('throttles guesses of the current password like sign-ins', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await changePassword(t.user, `guess ${i}`, 'a brand new passphrase')).statusCode);
    expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(statuses.slice(6)).toEqual([429, 429]);
  });
});

describe('signing out everywhere', () => {
  it('ends every sign-in of the account, this one included, and no other account', async () => {
    const phone = await signIn(t.user.email, t.user.password);
    const other = await t.signUp('bystander@example.com');
    const response = await t.request({ method: 'DELETE', url: '/auth/tokens', as: phone });
    expect(response.statusCode).toBe(204);
    for (const session of [t.user, phone]) {
      expect((await me(session)).statusCode).toBe(401);
      expect((await refresh(session)).statusCode).toBe(401);
    }
    expect((await me(other)).statusCode).toBe(200);
    // Signing in again works.
    expect((await me(await signIn(t.user.email, t.user.password))).statusCode).toBe(200);
  });
});
