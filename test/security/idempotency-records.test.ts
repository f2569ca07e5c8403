import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyedHash, serverSecrets } from '../../src/secrets/server-secrets.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Attack: a registration sent with an Idempotency-Key stored an unsalted SHA-256 over its body, password included,
// for 24 hours: anyone reading the table could test password guesses at SHA-256 speed. And expired rows stayed
// until another key was claimed.

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ IDEMPOTENCY_PURGE_INTERVAL: '100' });
});
afterEach(async () => {
  await t.close();
});

describe('idempotency records', () => {
  it('hold a fingerprint keyed by a server secret, which a guess cannot be checked against without it', async () => {
    const body = { email: 'keyed@example.com', password: 'a password worth guessing' };
    const response = await t.request({
      method: 'POST',
      url: '/users',
      as: null,
      headers: { 'idempotency-key': '"registration-1"' },
      payload: body,
    });
    expect(response.statusCode).toBe(201);
    const row = await t.db.selectFrom('idempotency_keys').selectAll().executeTakeFirstOrThrow();
    const input = JSON.stringify([{}, body]);
    // The old fingerprint, computable by anyone with a guess: not what is stored.
    expect(row.fingerprint).not.toBe(createHash('sha256').update(input).digest('base64url'));
    // What is stored needs the server's key.
    const { hashKey } = await serverSecrets(t.db, { jwtSecret: undefined, cursorSecret: undefined });
    expect(row.fingerprint).toBe(keyedHash(hashKey, input));
    expect(JSON.stringify(row)).not.toContain(body.password);
  });

  it('are deleted by a timer once expired, with no new key claimed', async () => {
    const row = (key: string, expiresAt: Date) => ({
      scope: `user:${t.user.id}`,
      key,
      operation_id: 'createStore',
      fingerprint: 'x',
      status: 201,
      headers: '{}',
      body: null,
      created_at: new Date(expiresAt.getTime() - 86_400_000).toISOString(),
      expires_at: expiresAt.toISOString(),
    });
    await t.db
      .insertInto('idempotency_keys')
      .values([row('expired', new Date(Date.now() - 1000)), row('current', new Date(Date.now() + 60_000))])
      .execute();
    const keys = async () =>
      (await t.db.selectFrom('idempotency_keys').select('key').execute()).map((r) => r.key).sort();
    for (let i = 0; i < 40 && (await keys()).length > 1; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await keys()).toEqual(['current']);
    expect(t.logs.some((line) => line.msg === 'expired idempotency records deleted')).toBe(true);
  });
});
