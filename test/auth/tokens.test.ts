import { randomBytes, randomUUID } from 'node:crypto';
import { base64url, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type Response, type TestApp, type TestUser } from '../helpers/test-app.js';

// The secret the test app signs with, given to it here: tokens forged with it differ from real ones only in
// what a test changes on purpose.
const jwtSecret = randomBytes(32).toString('base64url');
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ JWT_SECRET: jwtSecret });
});
afterEach(async () => {
  await t.close();
});

const secret = new TextEncoder().encode(jwtSecret);
const realm = 'Bearer realm="stores-api"';

type Claims = Record<string, unknown>;

function decode(token: string): { header: Claims; payload: Claims } {
  const [header = '', payload = ''] = token.split('.');
  const json = (segment: string) => JSON.parse(new TextDecoder().decode(base64url.decode(segment))) as Claims;
  return { header: json(header), payload: json(payload) };
}

const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

/** Claims as the API issues them, for `sub`; a test overrides or drops (`undefined`) what it wants to break. */
function claimsFor(sub: string, overrides: Claims = {}): Claims {
  const now = Math.floor(Date.now() / 1000);
  const claims: Claims = { iss: 'stores-api', aud: 'stores-api', sub, jti: randomUUID(), sid: randomUUID(), iat: now };
  Object.assign(claims, { exp: now + 900 }, overrides);
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return claims;
}

function sign(claims: Claims, { alg = 'HS256', key = secret }: { alg?: string; key?: Uint8Array } = {}) {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function me(token: string): Promise<Response> {
  return t.request({ method: 'GET', url: '/users/me', as: null, headers: bearer(token) });
}

function expectUnauthorized(response: Response, error?: 'invalid_token' | 'invalid_request') {
  expect(response.statusCode).toBe(401);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.data).toMatchObject({ status: 401, type: '/problems/unauthorized' });
  const challenge = String(response.headers['www-authenticate']);
  expect(challenge.startsWith(realm)).toBe(true);
  if (error) expect(challenge).toContain(`error="${error}"`);
  else expect(challenge).toBe(realm);
}

const signIn = (email: string, password: string, remoteAddress?: string) =>
  t.request({
    method: 'POST',
    url: '/auth/tokens',
    as: null,
    payload: { email, password },
    ...(remoteAddress && { remoteAddress }),
  });

const refresh = (refreshToken: string) =>
  t.request({ method: 'POST', url: '/auth/tokens/refresh', as: null, payload: { refreshToken } });

describe('the token lifecycle', () => {
  it('register → sign in → create → refresh → sign out; then the signed-out tokens and their family are refused', async () => {
    const seen: Response[] = [];
    const send = async (options: Parameters<TestApp['request']>[0]) => {
      const response = await t.request(options);
      seen.push(response);
      return response;
    };
    const credentials = { email: 'ada@example.com', password: 'correct horse battery staple' };

    const registered = await send({ method: 'POST', url: '/users', as: null, payload: credentials });
    expect(registered.statusCode).toBe(201);
    const signedIn = await send({ method: 'POST', url: '/auth/tokens', as: null, payload: credentials });
    expect(signedIn.statusCode).toBe(200);
    const first = { ...signedIn.data } as { accessToken: string; refreshToken: string };
    const ada = { id: registered.data.id, ...credentials, ...first } satisfies TestUser;

    const store = await send({ method: 'POST', url: '/stores', as: ada, payload: { name: "Ada's" } });
    expect(store.statusCode).toBe(201);
    const item = await send({
      method: 'POST',
      url: '/items',
      as: ada,
      payload: { storeId: store.data.id, name: 'engine', price: 15.99 },
    });
    expect(item.statusCode).toBe(201);

    const refreshed = await send({
      method: 'POST',
      url: '/auth/tokens/refresh',
      as: null,
      payload: { refreshToken: first.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    const second = refreshed.data as { accessToken: string; refreshToken: string };
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(decode(second.accessToken).payload.sub).toBe(ada.id);
    const asSecond = { ...ada, ...second };
    expect((await send({ method: 'GET', url: '/users/me', as: asSecond })).data.id).toBe(ada.id);

    // Signing out names the first refresh token: the whole sign-in, its rotated refresh token included, goes.
    const signedOut = await send({
      method: 'POST',
      url: '/auth/tokens/revoke',
      as: asSecond,
      payload: { refreshToken: first.refreshToken },
    });
    expect(signedOut.statusCode).toBe(204);
    expect(signedOut.body).toBe('');

    const oldAccess = await send({ method: 'GET', url: '/users/me', as: asSecond });
    expectUnauthorized(oldAccess, 'invalid_token');
    // The access token from before the refresh belongs to the same sign-in, so it ends too.
    expectUnauthorized(await send({ method: 'GET', url: '/users/me', as: ada }), 'invalid_token');
    const stillCreating = await send({ method: 'POST', url: '/stores', as: asSecond, payload: { name: 'Later' } });
    expectUnauthorized(stillCreating, 'invalid_token');
    for (const refreshToken of [first.refreshToken, second.refreshToken]) {
      const response = await send({ method: 'POST', url: '/auth/tokens/refresh', as: null, payload: { refreshToken } });
      expectUnauthorized(response, 'invalid_token');
    }
    // What was made while signed in stays.
    expect((await send({ method: 'GET', url: `/items/${item.data.id}`, as: null })).statusCode).toBe(200);

    for (const response of seen) expect(response.headers['set-cookie'], response.raw.req.url).toBeUndefined();
  });

  it('signing out revokes the access token it is sent with, and is idempotent', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/auth/tokens/revoke',
      payload: { refreshToken: t.user.refreshToken },
    });
    expect(response.statusCode).toBe(204);
    expectUnauthorized(await me(t.user.accessToken), 'invalid_token');
    expectUnauthorized(await refresh(t.user.refreshToken), 'invalid_token');
    // Signing in again gives a working pair: only the revoked sign-in is gone.
    const again = await signIn(t.user.email, t.user.password);
    expect(again.statusCode).toBe(200);
    expect((await me(again.data.accessToken)).statusCode).toBe(200);
    const twice = await t.request({
      method: 'POST',
      url: '/auth/tokens/revoke',
      as: { ...t.user, ...again.data },
      payload: { refreshToken: t.user.refreshToken },
    });
    expect(twice.statusCode).toBe(204);
  });
});

describe('createToken', () => {
  it('answers a Bearer pair whose access token is an HS256 JWT with iss, aud, sub, jti, iat and exp', async () => {
    const before = Math.floor(Date.now() / 1000);
    const response = await signIn(t.user.email, t.user.password);
    expect(response.statusCode).toBe(200);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(Object.keys(response.data).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'tokenType']);
    const { accessToken, refreshToken, tokenType, expiresIn } = response.data;
    expect(tokenType).toBe('Bearer');
    expect(expiresIn).toBe(900);
    expect(refreshToken).toEqual(expect.any(String));
    const { header, payload } = decode(accessToken);
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ iss: 'stores-api', aud: 'stores-api', sub: t.user.id });
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.jti).not.toBe(decode(t.user.accessToken).payload.jti);
    expect(Number(payload.exp) - Number(payload.iat)).toBe(expiresIn);
    expect(Number(payload.iat)).toBeGreaterThanOrEqual(before);
    // The token carries who, not what they may do: a role claim would outlive a change of role.
    expect(payload.role).toBeUndefined();
    expect((await me(accessToken)).data.id).toBe(t.user.id);
  });

  it('answers a wrong password and an unknown address alike: 401, same detail, same challenge, no error code', async () => {
    const wrongPassword = await signIn(t.user.email, 'not the password');
    const unknownEmail = await signIn('nobody@example.com', t.user.password);
    for (const response of [wrongPassword, unknownEmail]) expectUnauthorized(response);
    expect(wrongPassword.data.detail).toBe(unknownEmail.data.detail);
    expect(wrongPassword.headers['www-authenticate']).toBe(unknownEmail.headers['www-authenticate']);
    const { requestId: _a, ...wrong } = wrongPassword.data;
    const { requestId: _b, ...unknown } = unknownEmail.data;
    expect(wrong).toEqual(unknown);
    expect(wrongPassword.body).not.toContain(t.user.password);
  });

  it('compares the e-mail address without regard to case', async () => {
    const response = await signIn('OWNER@Example.COM', t.user.password);
    expect(response.statusCode).toBe(200);
    expect(decode(response.data.accessToken).payload.sub).toBe(t.user.id);
  });

  it('limits sign-ins to 20 a minute per client: the 21st answers 429 with Retry-After and RateLimit headers', async () => {
    // A client of its own, so that the sign-in that made the default user does not count; a new address each
    // time, so that the per-account limit (test/security/) does not step in first.
    const client = '192.0.2.10';
    for (let i = 1; i <= 20; i++) {
      expectUnauthorized(await signIn(`nobody${i}@example.com`, `wrong password ${i}`, client));
    }
    const limited = await signIn(t.user.email, t.user.password, client);
    expectRateLimited(limited);
    // Another client is not held back by this one.
    expect((await signIn(t.user.email, t.user.password, '192.0.2.11')).statusCode).toBe(200);
  });
});

function expectRateLimited(response: Response) {
  expect(response.statusCode).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.data).toMatchObject({ status: 429, type: '/problems/rate-limited' });
  const header = (name: string) => {
    const value = response.headers[name];
    expect(String(value), name).toMatch(/^\d+$/);
    return Number(value);
  };
  expect(header('ratelimit-limit')).toBe(20);
  expect(header('ratelimit-remaining')).toBe(0);
  const retryAfter = header('retry-after');
  expect(retryAfter).toBeGreaterThanOrEqual(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(retryAfter).toBe(header('ratelimit-reset'));
  expect(response.headers['set-cookie']).toBeUndefined();
}

describe('registerUser rate limit', () => {
  it('limits registrations to 20 a minute per client: the 21st answers 429', async () => {
    const client = '192.0.2.20';
    for (let i = 1; i <= 20; i++) {
      const response = await t.request({
        method: 'POST',
        url: '/users',
        as: null,
        remoteAddress: client,
        payload: { email: `limited${i}@example.com`, password: 'long enough password' },
      });
      expect(response.statusCode, `registration ${i}`).toBe(201);
    }
    const limited = await t.request({
      method: 'POST',
      url: '/users',
      as: null,
      remoteAddress: client,
      payload: { email: 'limited21@example.com', password: 'long enough password' },
    });
    expectRateLimited(limited);
    // Refused before the handler ran: no account was made.
    expectUnauthorized(await signIn('limited21@example.com', 'long enough password'));
  });
});

describe('refreshToken', () => {
  it('rotates: R1 gives A2 and R2; replaying R1 is refused and revokes R2 with it', async () => {
    const r1 = t.user.refreshToken;
    const rotated = await refresh(r1);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.data).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const { accessToken: a2, refreshToken: r2 } = rotated.data;
    expect(r2).not.toBe(r1);
    expect(decode(a2).payload.sub).toBe(t.user.id);
    expect((await me(a2)).statusCode).toBe(200);

    expectUnauthorized(await refresh(r1), 'invalid_token');
    // The replay marks the family as stolen: the legitimate holder's newer token stops working too.
    expectUnauthorized(await refresh(r2), 'invalid_token');
  });

  it('lets R2 rotate on when R1 is not replayed', async () => {
    const second = await refresh(t.user.refreshToken);
    const third = await refresh(second.data.refreshToken);
    expect(third.statusCode).toBe(200);
    expect((await me(third.data.accessToken)).data.id).toBe(t.user.id);
  });

  it('refuses a garbage token and a token with a real id but a wrong secret, which does not spend the real one', async () => {
    const [id] = t.user.refreshToken.split('.');
    const forged = `${id}.${randomBytes(32).toString('base64url')}`;
    for (const token of ['garbage', 'a.b.c', forged, `${id}.`]) {
      expectUnauthorized(await refresh(token), 'invalid_token');
    }
    expect((await refresh(t.user.refreshToken)).statusCode).toBe(200);
  });
});

describe('access token strictness', () => {
  it('accepts a token with the claims and signature the API itself makes (the control for the cases below)', async () => {
    const response = await me(await sign(claimsFor(t.user.id)));
    expect(response.statusCode).toBe(200);
    expect(response.data.id).toBe(t.user.id);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, (user: TestUser, other: TestUser) => Promise<string> | string][] = [
    [
      'alg none (unsigned, claims that would otherwise pass)',
      (user) => `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claimsFor(user.id))}.`,
    ],
    [
      'a payload changed to another sub, with the original signature',
      (user, other) => {
        const [header, , signature] = user.accessToken.split('.');
        const payload = { ...decode(user.accessToken).payload, sub: other.id };
        return `${header}.${encode(payload)}.${signature}`;
      },
    ],
    ['an expired token', (user) => sign(claimsFor(user.id, { iat: now() - 1000, exp: now() - 100 }))],
    ['a wrong audience', (user) => sign(claimsFor(user.id, { aud: 'another-api' }))],
    ['a wrong issuer', (user) => sign(claimsFor(user.id, { iss: 'someone-else' }))],
    ['no jti', (user) => sign(claimsFor(user.id, { jti: undefined }))],
    ['no sub', (user) => sign(claimsFor(user.id, { sub: undefined }))],
    ['no exp', (user) => sign(claimsFor(user.id, { exp: undefined }))],
    ['no sid (sign-in)', (user) => sign(claimsFor(user.id, { sid: undefined }))],
    [
      'a token signed with another secret',
      (user) => sign(claimsFor(user.id), { key: new TextEncoder().encode('x'.repeat(52)) }),
    ],
    [
      'HS512 with the right secret (the algorithm is pinned to HS256)',
      (user) => sign(claimsFor(user.id), { alg: 'HS512' }),
    ],
    ['a sub naming no user', () => sign(claimsFor('01936d3e-0000-7000-8000-000000000000'))],
    ['a token that is not a JWT', () => 'not-a-jwt'],
  ];

  it.each(cases)('answers 401 invalid_token to %s', async (_name, make) => {
    const other = await t.signUp();
    const response = await me(await make(t.user, other));
    expectUnauthorized(response, 'invalid_token');
    expect(response.body).not.toContain(other.id);
  });
});

describe('how the token must be sent', () => {
  it('answers 401 with a bare challenge (no error code) when no Authorization is sent', async () => {
    const response = await t.request({ method: 'GET', url: '/users/me', as: null });
    expectUnauthorized(response);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="stores-api"');
  });

  it('answers 401 invalid_request to another scheme, such as Basic', async () => {
    const basic = Buffer.from(`${t.user.email}:${t.user.password}`).toString('base64');
    const response = await t.request({
      method: 'GET',
      url: '/users/me',
      as: null,
      headers: { authorization: `Basic ${basic}` },
    });
    expectUnauthorized(response, 'invalid_request');
  });

  // RFC 9110 §11.1 (ex RFC 7235 §2.1) makes the auth-scheme case-insensitive, and the literal "Bearer" in
  // RFC 6750 §2.1's ABNF is case-insensitive too (RFC 5234 §2.3).
  it('accepts the scheme name in any letter case, as RFC 9110 and RFC 6750 require', async () => {
    for (const scheme of ['bearer', 'BEARER']) {
      const response = await t.request({
        method: 'GET',
        url: '/users/me',
        as: null,
        headers: { authorization: `${scheme} ${t.user.accessToken}` },
      });
      expect(response.statusCode, scheme).toBe(200);
    }
  });

  // Quotes inside a quoted value would end it early, so the header would not parse (RFC 9110 §5.6.4), and
  // RFC 6750 §3 says error_description MUST NOT contain '"' or '\' at all (%x20-21 / %x23-5B / %x5D-7E).
  it('sends only challenges that parse as RFC 6750 says: quoted values without quotes or backslashes', async () => {
    const expired = await sign(claimsFor(t.user.id, { iat: 1, exp: 2 }));
    const challenges: string[] = [];
    const collect = async (response: Promise<Response>) => {
      const r = await response;
      expect(r.statusCode).toBe(401);
      challenges.push(String(r.headers['www-authenticate']));
    };
    await collect(t.request({ method: 'GET', url: '/users/me', as: null }));
    await collect(me(expired));
    await collect(me('not-a-jwt'));
    await collect(t.request({ method: 'GET', url: `/users/me?access_token=${t.user.accessToken}`, as: null }));
    await collect(refresh('garbage'));
    await collect(signIn(t.user.email, 'not the password'));
    await collect(t.request({ method: 'GET', url: '/users/me', as: null, headers: { authorization: 'Basic YTpi' } }));
    const param = '(?:realm|error|error_description)="[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]*"';
    const grammar = new RegExp(`^Bearer ${param}(?:, ${param})*$`);
    for (const challenge of challenges) expect(challenge).toMatch(grammar);
  });

  it('refuses a valid token in ?access_token=, with a header or without: 401 invalid_request', async () => {
    const url = `/users/me?access_token=${t.user.accessToken}`;
    expectUnauthorized(await t.request({ method: 'GET', url, as: null }), 'invalid_request');
    expectUnauthorized(await t.request({ method: 'GET', url }), 'invalid_request');
    // The token itself is fine: only where it was sent is wrong.
    expect((await me(t.user.accessToken)).statusCode).toBe(200);
  });
});
