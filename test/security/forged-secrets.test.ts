import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ConfigError, loadConfig, publishedSecrets } from '../../src/config.js';
import { createDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { serverSecrets } from '../../src/secrets/server-secrets.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Attack: before this, wherever NODE_ENV was not exactly `production` and no secret was set, tokens and cursors
// were signed with constants from the public source. Anyone could mint a token for any user, an admin included.

const oldJwtSecret = 'stores-api-development-jwt-secret-not-for-production';
const oldCursorSecret = 'stores-api-development-cursor-secret';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const forge = (secret: string, sub: string) => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: randomUUID() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('stores-api')
    .setAudience('stores-api')
    .setSubject(sub)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(secret));
};

describe('secrets from the source code', () => {
  it('refuses a token forged with the old published JWT secret, for a user and for an admin', async () => {
    await t.db.updateTable('users').set({ role: 'admin' }).where('id', '=', t.user.id).execute();
    const forged = await forge(oldJwtSecret, t.user.id);
    const response = await t.request({
      method: 'GET',
      url: '/users/me',
      as: null,
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('invalid_token');
  });

  it('refuses a cursor forged with the old published cursor secret', async () => {
    for (const name of ['A', 'B', 'C']) await t.request({ method: 'POST', url: '/stores', payload: { name } });
    const real = await t.request({ method: 'GET', url: '/stores?limit=1', as: null });
    const cursor = new URL(real.data.next).searchParams.get('cursor') ?? '';
    const [payload = ''] = cursor.split('.');
    expect((await t.request({ method: 'GET', url: `/stores?limit=1&cursor=${cursor}`, as: null })).statusCode).toBe(
      200,
    );
    // The same payload, signed as the codec signs: only the secret differs.
    const forged = createHmac('sha256', oldCursorSecret).update(payload).digest('base64url').slice(0, 22);
    const response = await t.request({ method: 'GET', url: `/stores?limit=1&cursor=${payload}.${forged}`, as: null });
    expect(response.statusCode).toBe(400);
  });

  it('makes the secrets at random on first start and keeps them in the database, the same for every instance', async () => {
    const first = await serverSecrets(t.db, { jwtSecret: undefined, cursorSecret: undefined });
    expect(first.jwtSecret).not.toBe(oldJwtSecret);
    expect(first.jwtSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.cursorSecret).not.toBe(first.jwtSecret);
    const racing = await Promise.all(
      [1, 2, 3].map(() => serverSecrets(t.db, { jwtSecret: undefined, cursorSecret: undefined })),
    );
    for (const other of racing) expect(other).toEqual(first);
    // And it says so, rather than signing silently with something the operator did not choose.
    expect(t.logs.some((line) => String(line.msg).includes('random secret made on first start'))).toBe(true);
  });

  it('keeps a token valid across a restart on the same database file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'stores-api-secrets-'));
    const file = join(folder, 'stores.db');
    const start = async () => {
      const db = createDatabase(file);
      await migrateToLatest(db);
      const app = await buildApp(loadConfig({ DATABASE_URL: file, LOG_LEVEL: 'silent', PASSWORD_HASH_COST: '10' }), {
        db,
      });
      return { app, db };
    };
    try {
      const before = await start();
      const credentials = { email: 'restart@example.com', password: 'survives a restart' };
      await before.app.inject({ method: 'POST', url: '/users', payload: credentials });
      const signedIn = await before.app.inject({ method: 'POST', url: '/auth/tokens', payload: credentials });
      const { accessToken } = signedIn.json() as { accessToken: string };
      await before.app.close();
      await before.db.destroy();
      const after = await start();
      const me = await after.app.inject({
        method: 'GET',
        url: '/users/me',
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(me.statusCode).toBe(200);
      await after.app.close();
      await after.db.destroy();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('secrets in production', () => {
  const strong = () => randomBytes(32).toString('base64url');
  const production = (secrets: Record<string, string>) =>
    loadConfig({ NODE_ENV: 'production', ALLOWED_HOSTS: 'api.example.com', ...secrets });

  it('starts with two strong secrets', () => {
    expect(production({ JWT_SECRET: strong(), CURSOR_SECRET: strong() }).production).toBe(true);
  });

  const weakOnes: [string, string | undefined][] = [
    ['missing', undefined],
    ['too short', 'Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7'],
    ['one character repeated', 'a'.repeat(32)],
    ['few distinct characters', 'abcdef'.repeat(8)],
    ...publishedSecrets.map((secret): [string, string] => ['published once', secret]),
  ];
  it.each(weakOnes)('refuses a JWT_SECRET or CURSOR_SECRET that is %s', (_why, weak) => {
    for (const name of ['JWT_SECRET', 'CURSOR_SECRET']) {
      const secrets: Record<string, string> = { JWT_SECRET: strong(), CURSOR_SECRET: strong() };
      if (weak === undefined) delete secrets[name];
      else secrets[name] = weak;
      expect(() => production(secrets)).toThrow(ConfigError);
      expect(() => production(secrets)).toThrow(new RegExp(name));
    }
  });

  it('refuses a published secret outside production too', () => {
    expect(() => loadConfig({ JWT_SECRET: oldJwtSecret })).toThrow(/JWT_SECRET must be/);
    expect(() => loadConfig({ NODE_ENV: 'staging', CURSOR_SECRET: oldCursorSecret })).toThrow(/CURSOR_SECRET must be/);
  });
});
