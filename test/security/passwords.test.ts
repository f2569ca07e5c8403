import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Attack: `password`, `12345678`, eight spaces or the user's own e-mail were accepted as passwords. NIST SP
// 800-63B: 8 to 128 characters after NFKC, any characters, but not a common or breached password (zxcvbn-ts's
// list), not repetitive, and not the account's own e-mail address or a part of it. The 400 names the rule.

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const register = (email: string, password: string) =>
  t.request({ method: 'POST', url: '/users', as: null, payload: { email, password } });

describe('a new password', () => {
  it.each([
    ['12345678', 'common or breached'],
    ['iloveyou', 'common or breached'],
    ['Password1', 'common or breached'],
    ['ｐａｓｓｗｏｒｄ', 'common or breached'],
    ['        ', 'repetitive'],
    ['abababab', 'repetitive'],
    ['ada.lovelace@example.com', 'e-mail address'],
    ['ada.lovelace', 'e-mail address'],
    ['example.com', 'e-mail address'],
  ])('refuses %j with 400 saying it is %s, and makes no account', async (password, rule) => {
    const response = await register('ada.lovelace@example.com', password);
    expect(response.statusCode).toBe(400);
    expect(response.data).toMatchObject({ status: 400, type: '/problems/validation-failed' });
    expect(response.data.errors).toEqual([expect.objectContaining({ location: 'body', pointer: '/password' })]);
    expect(response.data.errors[0].detail).toContain(rule);
    const accounts = await t.db
      .selectFrom('users')
      .select('email')
      .where('email', '=', 'ada.lovelace@example.com')
      .execute();
    expect(accounts).toEqual([]);
  });

  it('counts characters after NFKC: 128 accepted, 129 refused', async () => {
    expect((await register('long@example.com', `${'x'.repeat(120)}abcdefgh`)).statusCode).toBe(201);
    // Schema-valid (128 code points), but NFKC makes the ligature two letters.
    const expanded = await register('longer@example.com', `ﬀ${'y'.repeat(119)}abcdefgh`);
    expect(expanded.statusCode).toBe(400);
    expect(expanded.data.errors[0].detail).toContain('at most 128 characters');
  });

  it('accepts a long passphrase with spaces and any letters', async () => {
    expect((await register('grace@example.com', 'correct horse battery staple')).statusCode).toBe(201);
    expect((await register('unicode@example.com', 'Zwölf Boxkämpfer jagen Viktor')).statusCode).toBe(201);
  });
});
