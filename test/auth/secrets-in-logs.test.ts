import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

describe('the logs', () => {
  it('never hold a password, a password hash or a token, even at trace level and when a request fails', async () => {
    const t = await createTestApp({ LOG_LEVEL: 'trace' });
    const password = 'a very secret password 1234';
    const registered = await t.request({
      method: 'POST',
      url: '/users',
      payload: { email: 'logs@example.com', password },
      as: null,
    });
    expect(registered.statusCode).toBe(201);
    const signIn = await t.request({
      method: 'POST',
      url: '/auth/tokens',
      payload: { email: 'logs@example.com', password },
      as: null,
    });
    const { accessToken, refreshToken } = signIn.data;
    const user = { ...t.user, accessToken, refreshToken };
    await t.request({ method: 'POST', url: '/stores', payload: { name: 'Logged' }, as: user });
    await t.request({
      method: 'POST',
      url: '/auth/tokens',
      payload: { email: 'logs@example.com', password: `${password}!` },
      as: null,
    });
    await t.request({ method: 'GET', url: `/users/me?access_token=${accessToken}`, as: null });
    const refreshed = await t.request({
      method: 'POST',
      url: '/auth/tokens/refresh',
      payload: { refreshToken },
      as: null,
    });
    await sql`drop table item_tags`.execute(t.db);
    await t.request({ method: 'DELETE', url: '/items/x', as: { ...user, accessToken: refreshed.data.accessToken } });
    const hash = (
      await t.db
        .selectFrom('users')
        .select('password_hash')
        .where('email', '=', 'logs@example.com')
        .executeTakeFirstOrThrow()
    ).password_hash;
    await t.close();

    const text = t.logs.map((line) => JSON.stringify(line)).join('\n');
    // One access-log line for each of the 7 requests above (and those createTestApp sent), and none of them
    // holds a secret either.
    expect(t.logs.filter((line) => line.msg === 'request').length).toBeGreaterThanOrEqual(7);
    for (const secret of [
      password,
      hash,
      accessToken,
      refreshToken,
      refreshed.data.accessToken,
      refreshed.data.refreshToken,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/scrypt\$|password_hash/);
  });
});

describe('the check every test app makes when it closes', () => {
  it('fails when a token it saw reaches a log line', async () => {
    const t = await createTestApp();
    t.app.log.info({ leaked: `Bearer ${t.user.accessToken}` }, 'a careless log line');
    await expect(t.close()).rejects.toThrow(/the logs hold 1 secret/);
  });

  it('fails when a password hash reaches a log line', async () => {
    const t = await createTestApp();
    const { password_hash } = await t.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
    t.app.log.info({ row: { password_hash } }, 'a careless log line');
    await expect(t.close()).rejects.toThrow(/the logs hold 1 secret/);
  });
});

describe('redaction', () => {
  it('hides the credentials in a body logged by mistake, and leaves the rest of it', async () => {
    const t = await createTestApp();
    t.app.log.warn(
      {
        body: {
          email: 'someone@example.com',
          password: 'not-a-real-password',
          accessToken: 'not-a-real-access',
          refreshToken: 'not-a-real-refresh',
        },
      },
      'a body logged by mistake',
    );
    await t.close();
    const line = t.logs.find((l) => l.msg === 'a body logged by mistake');
    expect(line?.body).toEqual({
      email: 'someone@example.com',
      password: '[redacted]',
      accessToken: '[redacted]',
      refreshToken: '[redacted]',
    });
  });
});
