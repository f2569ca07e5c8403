import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Attack: a token with `iat` in the future, or made to live 10 years, was accepted as long as it was signed. With a
// leaked key that is a token that outlives every rotation; without one, it is still a sign of a forger. Clocks of
// instances may differ a little: 30 s either way are allowed, no more.

const jwtSecret = randomBytes(32).toString('base64url');
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ JWT_SECRET: jwtSecret, ACCESS_TOKEN_TTL: '900' });
});
afterEach(async () => {
  await t.close();
});

async function tokenWith(times: { iat: number; exp: number }): Promise<string> {
  const sessionId = (await t.db.selectFrom('refresh_tokens').select('family_id').executeTakeFirstOrThrow()).family_id;
  return new SignJWT({ sid: sessionId, iat: times.iat, exp: times.exp })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('stores-api')
    .setAudience('stores-api')
    .setSubject(t.user.id)
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(jwtSecret));
}

const now = () => Math.floor(Date.now() / 1000);
const me = async (token: string) =>
  (await t.request({ method: 'GET', url: '/users/me', as: null, headers: { authorization: `Bearer ${token}` } }))
    .statusCode;

describe('token times', () => {
  it('accepts a token as the API makes it, and clocks 20 s apart either way', async () => {
    expect(await me(await tokenWith({ iat: now(), exp: now() + 900 }))).toBe(200);
    expect(await me(await tokenWith({ iat: now() + 20, exp: now() + 900 }))).toBe(200);
    expect(await me(await tokenWith({ iat: now() - 900, exp: now() - 20 }))).toBe(200);
  });

  it('refuses iat in the future beyond the leeway', async () => {
    expect(await me(await tokenWith({ iat: now() + 120, exp: now() + 900 }))).toBe(401);
  });

  it('refuses a token that claims a longer life than the API gives', async () => {
    expect(await me(await tokenWith({ iat: now(), exp: now() + 10 * 365 * 86400 }))).toBe(401);
    expect(await me(await tokenWith({ iat: now(), exp: now() + 1000 }))).toBe(401);
  });

  it('refuses an expired token beyond the leeway', async () => {
    expect(await me(await tokenWith({ iat: now() - 900, exp: now() - 60 }))).toBe(401);
  });
});
