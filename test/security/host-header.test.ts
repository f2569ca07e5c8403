import type { FastifyRequest } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { originJudge } from '../../src/http/context.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Attack: with PUBLIC_URL unset, any Host went into Location and into the `next` links of cacheable answers, so a
// request with `Host: evil.example` could poison a shared cache with links to the attacker's host. Now links
// come from PUBLIC_URL or a Host in ALLOWED_HOSTS (outside production, the loopback names by default).

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const stores = async (app: TestApp) => (await app.db.selectFrom('stores').select('id').execute()).length;

describe('the Host header', () => {
  it.each(['evil.example', 'evil.example:80', 'localhost.evil.example', '127.0.0.2'])(
    'refuses Host %s with 400 problem+json, writes nothing and builds no link',
    async (host) => {
      const created = await t.request({ method: 'POST', url: '/stores', headers: { host }, payload: { name: 'Q' } });
      expect(created.statusCode).toBe(400);
      expect(created.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(created.data.detail).toContain('does not answer for the host this request names');
      expect(created.headers.location).toBeUndefined();
      expect(await stores(t)).toBe(0);
      const page = await t.request({ method: 'GET', url: '/stores?limit=1', headers: { host }, as: null });
      expect(page.statusCode).toBe(400);
      expect(page.body).not.toContain('evil');
    },
  );

  it('builds links from a loopback Host by default outside production', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/stores',
      headers: { host: '127.0.0.1:3000' },
      payload: { name: 'Q' },
    });
    expect(created.headers.location).toBe(`http://127.0.0.1:3000/stores/${created.data.id}`);
  });

  it('builds links from a Host in ALLOWED_HOSTS, and refuses the rest', async () => {
    // localhost:80 is the Host of `inject`, with which the helper signs its user up.
    const listed = await createTestApp({ ALLOWED_HOSTS: 'localhost:80,api.example.com,admin.example.com:8443' });
    try {
      const ok = await listed.request({
        method: 'POST',
        url: '/stores',
        headers: { host: 'api.example.com' },
        payload: { name: 'A' },
      });
      expect(ok.headers.location).toBe(`http://api.example.com/stores/${ok.data.id}`);
      const port = await listed.request({
        method: 'POST',
        url: '/stores',
        headers: { host: 'admin.example.com:8443' },
        payload: { name: 'B' },
      });
      expect(port.statusCode).toBe(201);
      for (const host of ['admin.example.com:9999', 'localhost:3000', 'evil.example']) {
        const refused = await listed.request({
          method: 'POST',
          url: '/stores',
          headers: { host },
          payload: { name: host },
        });
        expect(refused.statusCode, host).toBe(400);
      }
    } finally {
      await listed.close();
    }
  });

  it('answers health probes whatever their Host, as orchestrators send the pod address', async () => {
    const probe = await t.request({ method: 'GET', url: '/healthz', headers: { host: '10.1.2.3:3000' }, as: null });
    expect(probe.statusCode).toBe(200);
  });

  it('needs PUBLIC_URL or ALLOWED_HOSTS in production', () => {
    const secrets = {
      JWT_SECRET: 'Kp3xQ9vTz2LmN8rWc5YhJ7bFd4GsA6eU',
      CURSOR_SECRET: 'uE6aSg4dFb7Jh5YcW8rN2mLz9TvQ3xpK',
    };
    expect(() => loadConfig({ NODE_ENV: 'production', ...secrets })).toThrow(/PUBLIC_URL or ALLOWED_HOSTS/);
    expect(
      loadConfig({ NODE_ENV: 'production', ...secrets, PUBLIC_URL: 'https://api.example.com' }).allowedHosts,
    ).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'production', ...secrets, ALLOWED_HOSTS: 'api.example.com' }).allowedHosts).toEqual([
      'api.example.com',
    ]);
  });
});

describe('the kept verdicts on Hosts', () => {
  const from = (host: string) => ({ protocol: 'http', host }) as FastifyRequest;

  it('stay right for a client sending a new Host each time, past the number kept', () => {
    const originOf = originJudge(undefined, ['api.example.com']);
    expect(originOf(from('api.example.com'))).toEqual({ ok: true, origin: 'http://api.example.com' });
    for (let i = 0; i < 250; i++) expect(originOf(from(`evil${i}.example`)).ok).toBe(false);
    expect(originOf(from('api.example.com'))).toEqual({ ok: true, origin: 'http://api.example.com' });
    expect(originOf(from('evil0.example')).ok).toBe(false);
    expect(originOf(from('a b')).ok).toBe(false);
  });

  it('are the configured public URL for any Host when PUBLIC_URL is set and ALLOWED_HOSTS is not', () => {
    const originOf = originJudge('https://stores.example.com', undefined);
    expect(originOf(from('anything.example'))).toEqual({ ok: true, origin: 'https://stores.example.com' });
  });
});
