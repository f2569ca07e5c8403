import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runOnce } from '../../src/idempotency/run-once.js';
import { keyedHash, serverSecrets } from '../../src/secrets/server-secrets.js';
import { givenStore } from '../helpers/fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const create = (key: string, name: string, as?: Parameters<TestApp['request']>[0]['as']) =>
  t.request({
    method: 'POST',
    url: '/stores',
    headers: { 'idempotency-key': key },
    payload: { name },
    ...(as !== undefined && { as }),
  });
const storeRows = async () => (await t.db.selectFrom('stores').selectAll().execute()).length;

describe('Idempotency-Key', () => {
  it('answers 10 concurrent sends of one key and body identically, creating one store', async () => {
    const key = '"8e03978e-40d5-43e8-bc93-6894a57f9324"';
    const answers = await Promise.all(Array.from({ length: 10 }, () => create(key, 'Once')));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(new Set(answers.map((a) => a.headers.location)).size).toBe(1);
    expect(await storeRows()).toBe(1);
  });

  it('replays the first answer to a later retry, even after the store was renamed', async () => {
    const first = await create('retry-1', 'First');
    const again = await create('retry-1', 'First');
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await storeRows()).toBe(1);
  });

  it('refuses the same key with another body (422) and creates nothing', async () => {
    await create('changed', 'One');
    const other = await create('changed', 'Two');
    expect(other.statusCode).toBe(422);
    expect(other.data.detail).toContain('another request');
    expect(await storeRows()).toBe(1);
  });

  it('keeps keys per caller: another user with the same key creates their own', async () => {
    const other = await t.signUp();
    expect((await create('shared-key', 'Mine')).statusCode).toBe(201);
    expect((await create('shared-key', 'Theirs', other)).statusCode).toBe(201);
    expect(await storeRows()).toBe(2);
  });

  it('keeps keys per operation: one key on createStore and then createTag is two requests, both made', async () => {
    const key = '"8e03978e-40d5-43e8-bc93-6894a57f9324"';
    const store = await create(key, 'Keyed');
    expect(store.statusCode).toBe(201);
    const tag = await t.request({
      method: 'POST',
      url: '/tags',
      headers: { 'idempotency-key': key },
      payload: { storeId: store.data.id, name: 'keyed' },
    });
    expect(tag.statusCode).toBe(201);
    expect(tag.data.name).toBe('keyed');
  });

  it('replays a refusal too: a 409 for a taken name is the answer that key keeps', async () => {
    await givenStore(t, 'Taken');
    const first = await create('taken', 'Taken');
    expect(first.statusCode).toBe(409);
    const again = await create('taken', 'Taken');
    expect(again.statusCode).toBe(409);
    expect(again.data.detail).toBe(first.data.detail);
  });

  it('answers 400 to a key that is not a structured-field string or token', async () => {
    const response = await create('has space', 'X');
    expect(response.statusCode).toBe(400);
    expect(response.data.errors[0]).toMatchObject({ location: 'header', pointer: '/idempotency-key' });
  });

  // On SQLite the first request's transaction holds the one connection, so a duplicate on the same instance
  // simply waits for its answer. A 409 comes when the first runs elsewhere, as a claim in the database shows.
  // The fingerprint as the app makes it: keyed by the secret it keeps in the database.
  const pendingClaim = async (createdAt: Date) => ({
    scope: `user:${t.user.id} createStore`,
    key: 'elsewhere',
    operation_id: 'createStore',
    fingerprint: keyedHash(
      (await serverSecrets(t.db, { jwtSecret: undefined, cursorSecret: undefined })).hashKey,
      JSON.stringify([{}, { name: 'X' }]),
    ),
    status: null,
    headers: null,
    body: null,
    created_at: createdAt.toISOString(),
    expires_at: new Date(createdAt.getTime() + 86_400_000).toISOString(),
  });

  it('answers 409 after waiting 5 s while another instance still runs the first request', async () => {
    await t.db
      .insertInto('idempotency_keys')
      .values(await pendingClaim(new Date()))
      .execute();
    const started = Date.now();
    const response = await create('elsewhere', 'X');
    expect(response.statusCode).toBe(409);
    expect(response.data.detail).toContain('still running');
    // The claim is 5 s old when the wait ends: it would be taken over as abandoned in about 5 s more.
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(await storeRows()).toBe(0);
  });

  it("goes by the database's clock: a fresh claim is not taken as abandoned by a process whose clock runs 90 s ahead", async () => {
    await t.db
      .insertInto('idempotency_keys')
      .values(await pendingClaim(new Date()))
      .execute();
    // Only this process's Date moves; the database reads the system clock itself, as another instance would.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 90_000);
    try {
      const response = await create('elsewhere', 'X');
      expect(response.statusCode).toBe(409);
      expect(await storeRows()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes over a claim left by a request that died 11 s ago, and creates once', async () => {
    await t.db
      .insertInto('idempotency_keys')
      .values(await pendingClaim(new Date(Date.now() - 11_000)))
      .execute();
    expect((await create('elsewhere', 'X')).statusCode).toBe(201);
    expect((await create('elsewhere', 'X')).statusCode).toBe(201);
    expect(await storeRows()).toBe(1);
  });
});

describe('a first request whose work fails', () => {
  it('releases its claim, so a retry with the key runs the work instead of waiting or replaying the failure', async () => {
    const request = { scope: 'user:release-test', key: 'fails-once', operationId: 'createStore', fingerprint: ['x'] };
    const key = Buffer.alloc(32, 7);
    const failure = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    await expect(
      runOnce(
        t.db,
        request,
        async () => {
          throw failure;
        },
        key,
      ),
    ).rejects.toBe(failure);
    expect(await t.db.selectFrom('idempotency_keys').where('key', '=', 'fails-once').selectAll().execute()).toEqual([]);
    const started = performance.now();
    const outcome = await runOnce(t.db, request, async () => ({ status: 201, body: { ok: true } }), key);
    expect(outcome).toEqual({ kind: 'answer', answer: { status: 201, body: { ok: true } } });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
