import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operations } from '../../generated/operations.js';
import { snapshot as snapshotOf } from '../helpers/snapshot.js';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.js';
import { build, givenFixture, type Ids, ids } from '../helpers/valid-requests.js';

// Who may call what is read from openapi.yaml (each operation's `security` and `x-ownership`), so these tables
// cover every operation the spec has, now and later: nothing here names an operation by hand.
const secured = ids.filter((id) => operations[id].secured);
const open = ids.filter((id) => !operations[id].secured);

let t: TestApp;
let fixture: Ids;
let stranger: TestUser;
beforeEach(async () => {
  t = await createTestApp();
  fixture = await givenFixture(t);
  stranger = await t.signUp('stranger@example.com');
});
afterEach(async () => {
  await t.close();
});

const snapshot = () => snapshotOf(t.db);

describe('every secured operation', () => {
  it('is most of them: reads stay public', () => {
    expect(secured.length).toBeGreaterThan(10);
    expect(open).toEqual(
      expect.arrayContaining(['listStores', 'getStore', 'listItems', 'getItem', 'listTags', 'getTag']),
    );
  });

  it.each(secured)('%s answers 401 with a bare Bearer challenge to no token, and changes nothing', async (id) => {
    const before = await snapshot();
    const response = await t.request({ ...build(id, fixture), as: null });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="stores-api"');
    expect(response.data).toMatchObject({ status: 401, type: '/problems/unauthorized' });
    expect(await snapshot()).toEqual(before);
  });

  it.each(secured)('%s answers 401 invalid_token to a bad token, and changes nothing', async (id) => {
    const before = await snapshot();
    const forged = { ...t.user, accessToken: `${t.user.accessToken.slice(0, -4)}AAAA` };
    const response = await t.request({ ...build(id, fixture), as: forged });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="stores-api", error="invalid_token"/);
    expect(await snapshot()).toEqual(before);
  });

  it.each(secured)('%s refuses a token sent in the URL', async (id) => {
    const request = build(id, fixture);
    const response = await t.request({
      ...request,
      url: `${request.url}?access_token=${t.user.accessToken}`,
      as: null,
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_request"/);
  });
});

// The whole matrix: every operation, called by each kind of caller, gets what its `security` and `x-ownership`
// say; a refusal changes nothing. An admin is a user given the role, owning nothing.
const callers = ['anonymous', 'another user', 'the owner', 'an admin'] as const;
type Caller = (typeof callers)[number];

function expectedFor(id: (typeof ids)[number], caller: Caller): 401 | 403 | 'allowed' {
  if (caller === 'anonymous') return operations[id].secured ? 401 : 'allowed';
  if (caller === 'another user') return operations[id].ownership ? 403 : 'allowed';
  return 'allowed';
}

const matrix = ids.flatMap((id) => callers.map((caller) => [id, caller, expectedFor(id, caller)] as const));

describe('every operation, for every caller', () => {
  it('covers every operation and caller', () => {
    expect(matrix).toHaveLength(ids.length * callers.length);
  });

  it.each(matrix)('%s called by %s: %s', async (id, caller, expected) => {
    if (caller === 'an admin') {
      await t.db.updateTable('users').set({ role: 'admin' }).where('id', '=', stranger.id).execute();
    }
    const as = { anonymous: null, 'another user': stranger, 'the owner': t.user, 'an admin': stranger }[caller];
    const before = await snapshot();
    // An operation on the caller's own account (`/users/me/…`) is sent with that caller's own credentials.
    const own = operations[id].route.startsWith('/users/me') && as !== null ? { ...fixture, user: as } : fixture;
    const response = await t.request({ ...build(id, own), as });
    if (expected === 'allowed') {
      expect(response.statusCode, response.body).toBeLessThan(300);
      return;
    }
    expect(response.statusCode).toBe(expected);
    expect(response.data).toMatchObject({
      status: expected,
      type: expected === 401 ? '/problems/unauthorized' : '/problems/forbidden',
    });
    expect(await snapshot()).toEqual(before);
  });
});
