import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { demoUser } from '../../src/demo/demo-data.js';
import { noShedding, type ServerProcess, scratchDatabase, startServer } from '../helpers/server-process.js';

// Attack: the demo account's password is published (README, source). It used to exist in production whenever the
// database had ever been started in development, or with SEED_DEMO_DATA=true, or after `db:seed`.

describe('demo data', () => {
  it.each([undefined, 'test', 'staging', 'prod', 'production'])(
    'is not loaded by default when NODE_ENV is %s',
    (environment) => {
      const env = environment === undefined ? {} : { NODE_ENV: environment };
      const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), CURSOR_SECRET: randomBytes(32).toString('hex') };
      expect(loadConfig({ ...env, ...secrets, ALLOWED_HOSTS: 'localhost' }).seedDemoData).toBe(false);
    },
  );

  it.each(['test', 'staging', 'production'])('cannot be asked for when NODE_ENV is %s', (environment) => {
    expect(() => loadConfig({ NODE_ENV: environment, SEED_DEMO_DATA: 'true' })).toThrow(/SEED_DEMO_DATA/);
  });

  it('is loaded in explicit development', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).seedDemoData).toBe(true);
  });
});

describe('a production start on a database that has the demo account', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let server: ServerProcess | undefined;
  beforeEach(async () => {
    scratch = await scratchDatabase('demo');
  });
  afterEach(async () => {
    await server?.stop('SIGKILL');
    await scratch.remove();
  });

  const signInAsDemo = (base: string) =>
    fetch(`${base}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: demoUser.email, password: demoUser.password }),
    });

  it('disables it and says so in the log', async () => {
    const development = await startServer({ DATABASE_URL: scratch.database, NODE_ENV: 'development', ...noShedding });
    server = development;
    const signedIn = await signInAsDemo(development.base);
    expect(signedIn.status).toBe(200);
    expect(await development.stop()).toBe(0);

    const production = await startServer({
      DATABASE_URL: scratch.database,
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      CURSOR_SECRET: randomBytes(32).toString('base64url'),
      ALLOWED_HOSTS: '127.0.0.1',
      ...noShedding,
    });
    server = production;
    for (let i = 0; i < 50 && !production.output().includes('demo account'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(production.output()).toMatch(/the demo account was found in production and has been disabled/);
    expect((await signInAsDemo(production.base)).status).toBe(401);
    // Its stores stay readable; only the account is shut.
    expect((await fetch(`${production.base}/stores?q=My%20Store`)).status).toBe(200);
  }, 120_000);
});
