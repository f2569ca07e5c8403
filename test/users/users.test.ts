import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { givenStore, unknownId } from '../helpers/fixtures.js';
import { createTestApp, type RequestOptions, type Response, type TestApp, type TestUser } from '../helpers/test-app.js';

let t: TestApp;
let received: Response[];
beforeEach(async () => {
  t = await createTestApp();
  received = [];
});
afterEach(async () => {
  try {
    // Passwords are write-only: no answer mentions one, except a validation problem pointing at the member.
    for (const response of received) {
      const text = `${JSON.stringify(response.headers)}\n${response.body}`.replaceAll('"pointer":"/password"', '');
      expect(text, `${response.raw.req.method} ${response.raw.req.url}`).not.toMatch(/password/i);
    }
  } finally {
    await t.close();
  }
});

/** Sends through the test app and keeps the response for the password scan above. */
async function send(options: RequestOptions): Promise<Response> {
  const response = await t.request(options);
  received.push(response);
  return response;
}

const register = (payload: Record<string, string>) => send({ method: 'POST', url: '/users', as: null, payload });
const getUser = (id: string, as?: TestUser | null) =>
  send({ method: 'GET', url: `/users/${id}`, ...(as !== undefined && { as }) });
const deleteUser = (id: string, as?: TestUser | null) =>
  send({ method: 'DELETE', url: `/users/${id}`, ...(as !== undefined && { as }) });

async function promote(user: TestUser, role: 'admin' | 'user' = 'admin') {
  await t.db.updateTable('users').set({ role }).where('id', '=', user.id).execute();
}

function expectForbidden(response: Response) {
  expect(response.statusCode).toBe(403);
  expect(response.data).toMatchObject({ status: 403, type: '/problems/forbidden' });
}

describe('registerUser', () => {
  it('answers 201 with an absolute Location and the account, without its password', async () => {
    const response = await register({ email: 'ada@example.com', password: 'correct horse battery staple' });
    expect(response.statusCode).toBe(201);
    expect(Object.keys(response.data).sort()).toEqual(['createdAt', 'email', 'id', 'role']);
    expect(response.data).toMatchObject({ email: 'ada@example.com', role: 'user' });
    expect(response.headers.location).toBe(`http://localhost/users/${response.data.id}`);
    expect(response.body).not.toContain('correct horse battery staple');
    expect(response.body).not.toMatch(/scrypt/);
    const signedIn = await send({
      method: 'POST',
      url: '/auth/tokens',
      as: null,
      payload: { email: 'ada@example.com', password: 'correct horse battery staple' },
    });
    expect(signedIn.statusCode).toBe(200);
    const ada = { id: response.data.id, email: 'ada@example.com', password: '', ...signedIn.data };
    const fetched = await getUser(response.data.id, ada);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.data).toEqual(response.data);
  });

  it('stores the e-mail address in lower case, and answers 409 to the same address in any case', async () => {
    const response = await register({ email: 'Ada.Lovelace@Example.COM', password: 'correct horse battery staple' });
    expect(response.statusCode).toBe(201);
    expect(response.data.email).toBe('ada.lovelace@example.com');
    const stored = await t.db.selectFrom('users').select('email').where('id', '=', response.data.id).executeTakeFirst();
    expect(stored?.email).toBe('ada.lovelace@example.com');
    for (const email of ['ada.lovelace@example.com', 'ADA.LOVELACE@EXAMPLE.COM', 'Ada.Lovelace@Example.COM']) {
      const again = await register({ email, password: 'another good password' });
      expect(again.statusCode, email).toBe(409);
      expect(again.data).toMatchObject({ status: 409, type: '/problems/conflict' });
    }
    const users = await t.db.selectFrom('users').select('id').execute();
    expect(users).toHaveLength(2);
  });

  it('takes passwords of 8 to 128 characters and answers 400 pointing at /password outside that', async () => {
    // Not repetitive, so that only the length decides (the other rules: test/security/passwords.test.ts).
    const of = (length: number) => 'wxyz'.repeat(40).slice(0, length);
    for (const [password, status] of [
      [of(7), 400],
      [of(129), 400],
      [of(8), 201],
      [of(128), 201],
    ] as const) {
      const response = await register({ email: `len${password.length}@example.com`, password });
      expect(response.statusCode, `${password.length} characters`).toBe(status);
      if (status === 400) {
        expect(response.data).toMatchObject({ status: 400, type: '/problems/validation-failed' });
        expect(response.data.errors).toEqual([expect.objectContaining({ location: 'body', pointer: '/password' })]);
      }
    }
    const emails = await t.db.selectFrom('users').select('email').orderBy('email').execute();
    expect(emails.map((u) => u.email)).toEqual(['len128@example.com', 'len8@example.com', 'owner@example.com']);
  });

  it('answers 400 pointing at /email to an address that is not one', async () => {
    for (const email of ['not an address', 'ada', '']) {
      const response = await register({ email, password: 'correct horse battery staple' });
      expect(response.statusCode, email).toBe(400);
      expect(response.data.errors).toContainEqual(expect.objectContaining({ location: 'body', pointer: '/email' }));
    }
  });

  it('answers 400 to role:"admin" and creates no account (no mass assignment)', async () => {
    const response = await register({
      email: 'mallory@example.com',
      password: 'correct horse battery staple',
      role: 'admin',
    });
    expect(response.statusCode).toBe(400);
    expect(response.data.errors).toContainEqual(expect.objectContaining({ location: 'body', pointer: '/role' }));
    const rows = await t.db.selectFrom('users').select('id').where('email', '=', 'mallory@example.com').execute();
    expect(rows).toEqual([]);
    // The address is still free, and registering properly makes a plain user.
    const proper = await register({ email: 'mallory@example.com', password: 'correct horse battery staple' });
    expect(proper.statusCode).toBe(201);
    expect(proper.data.role).toBe('user');
  });
});

describe('getCurrentUser', () => {
  it('answers 200 with the signed-in user', async () => {
    const response = await send({ method: 'GET', url: '/users/me' });
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ id: t.user.id, email: 'owner@example.com', role: 'user' });
    const other = await t.signUp();
    const theirs = await send({ method: 'GET', url: '/users/me', as: other });
    expect(theirs.data).toMatchObject({ id: other.id, email: other.email });
  });

  it('answers 401 with a bare Bearer challenge to an anonymous request', async () => {
    const response = await send({ method: 'GET', url: '/users/me', as: null });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="stores-api"');
    expect(response.data).toMatchObject({ status: 401, type: '/problems/unauthorized' });
  });
});

describe('getUser', () => {
  it('answers 200 to the user themselves', async () => {
    const response = await getUser(t.user.id);
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ id: t.user.id, email: t.user.email, role: 'user' });
  });

  it("answers 403 to another user's id and to a missing one alike, so existence does not leak", async () => {
    const other = await t.signUp();
    const theirs = await getUser(other.id);
    const missing = await getUser(unknownId);
    expectForbidden(theirs);
    expectForbidden(missing);
    expect(theirs.body).not.toContain(other.email);
    const { instance: _i1, requestId: _r1, ...a } = theirs.data;
    const { instance: _i2, requestId: _r2, ...b } = missing.data;
    expect(a).toEqual(b);
    expect(theirs.headers['content-type']).toBe(missing.headers['content-type']);
  });

  it('answers 401 to an anonymous request', async () => {
    const response = await getUser(t.user.id, null);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="stores-api"');
    expect(response.body).not.toContain(t.user.email);
  });

  it('lets an admin read another user (200), and answers an admin 404 for a missing one', async () => {
    const other = await t.signUp();
    await promote(t.user);
    const response = await getUser(other.id);
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ id: other.id, email: other.email, role: 'user' });
    const missing = await getUser(unknownId);
    expect(missing.statusCode).toBe(404);
    expect(missing.data).toMatchObject({ status: 404, type: '/problems/not-found' });
  });

  it('applies a change of role at once, to the same access token (the token does not carry the role)', async () => {
    const other = await t.signUp();
    expectForbidden(await getUser(other.id));
    await promote(t.user);
    expect((await getUser(other.id)).statusCode).toBe(200);
    expect((await send({ method: 'GET', url: '/users/me' })).data.role).toBe('admin');
    await promote(t.user, 'user');
    expectForbidden(await getUser(other.id));
  });
});

describe('deleteUser', () => {
  it("answers 204 to the user themselves; their token, stores and items are gone, others' are not", async () => {
    const other = await t.signUp();
    const mine = await givenStore(t, 'Mine');
    const theirStore = await send({ method: 'POST', url: '/stores', as: other, payload: { name: 'Theirs' } });
    expect(theirStore.statusCode).toBe(201);
    const theirItem = await send({
      method: 'POST',
      url: '/items',
      as: other,
      payload: { storeId: theirStore.data.id, name: 'thing', price: 1 },
    });
    expect(theirItem.statusCode).toBe(201);

    const deleted = await deleteUser(other.id, other);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');

    const after = await send({ method: 'GET', url: '/users/me', as: other });
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toContain('error="invalid_token"');
    const refreshed = await send({
      method: 'POST',
      url: '/auth/tokens/refresh',
      as: null,
      payload: { refreshToken: other.refreshToken },
    });
    expect(refreshed.statusCode).toBe(401);
    for (const url of [`/stores/${theirStore.data.id}`, `/items/${theirItem.data.id}`]) {
      expect((await send({ method: 'GET', url, as: null })).statusCode, url).toBe(404);
    }
    expect(await t.db.selectFrom('items').select('id').execute()).toEqual([]);
    expect((await send({ method: 'GET', url: `/stores/${mine.id}`, as: null })).statusCode).toBe(200);
    expect((await getUser(t.user.id)).statusCode).toBe(200);
  });

  it('answers 403 to another user, for an existing account or a missing one, and deletes nothing', async () => {
    const other = await t.signUp();
    const theirStore = await send({ method: 'POST', url: '/stores', as: other, payload: { name: 'Theirs' } });
    expectForbidden(await deleteUser(other.id));
    expectForbidden(await deleteUser(unknownId));
    expect((await send({ method: 'GET', url: '/users/me', as: other })).statusCode).toBe(200);
    expect((await send({ method: 'GET', url: `/stores/${theirStore.data.id}`, as: null })).statusCode).toBe(200);
  });

  it('lets an admin delete anyone (204), and answers an admin 404 for a missing id', async () => {
    const other = await t.signUp();
    const theirStore = await send({ method: 'POST', url: '/stores', as: other, payload: { name: 'Theirs' } });
    await promote(t.user);
    expect((await deleteUser(other.id)).statusCode).toBe(204);
    expect((await send({ method: 'GET', url: `/stores/${theirStore.data.id}`, as: null })).statusCode).toBe(404);
    expect((await send({ method: 'GET', url: '/users/me', as: other })).statusCode).toBe(401);
    const missing = await deleteUser(unknownId);
    expect(missing.statusCode).toBe(404);
    expect(missing.data).toMatchObject({ status: 404, type: '/problems/not-found' });
    // An admin may delete their own account too.
    expect((await deleteUser(t.user.id)).statusCode).toBe(204);
  });

  it('answers 401 to an anonymous request and deletes nothing', async () => {
    const response = await deleteUser(t.user.id, null);
    expect(response.statusCode).toBe(401);
    expect((await getUser(t.user.id)).statusCode).toBe(200);
  });
});
