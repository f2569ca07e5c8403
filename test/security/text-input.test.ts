import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverSecrets } from '../../src/secrets/server-secrets.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Attacks on text: a lone surrogate (`"\ud800"`) was stored as invalid UTF-8 and read back as U+FFFD; names were
// not normalised, so `My Store` + U+200B, NFD `Café` or a bidi override passed as new unique names; and a signed
// cursor whose payload was not JSON was a 500.

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const names = async () => (await t.db.selectFrom('stores').select('name').execute()).map((r) => r.name);
const createRaw = (json: string) =>
  t.request({ method: 'POST', url: '/stores', headers: { 'content-type': 'application/json' }, payload: json });

describe('text in bodies', () => {
  it.each([
    ['a lone high surrogate', '{"name":"My \\ud800 Store"}'],
    ['a lone low surrogate', '{"name":"\\udc00"}'],
    ['a reversed pair', '{"name":"\\udc00\\ud800"}'],
    ['a lone surrogate in a property name', '{"name":"Fine","\\ud800":1}'],
  ])('refuses %s with 400, storing nothing', async (_what, json) => {
    const response = await createRaw(json);
    expect(response.statusCode).toBe(400);
    expect(response.data).toMatchObject({ status: 400, type: '/problems/malformed-request' });
    expect(response.data.detail).toContain('lone surrogate');
    expect(await names()).toEqual([]);
  });

  it('keeps a well-formed pair (an emoji escaped as two surrogates)', async () => {
    const response = await createRaw('{"name":"Cake \\ud83c\\udf70"}');
    expect(response.statusCode).toBe(201);
    expect(response.data.name).toBe('Cake 🍰');
  });

  it('stores names in NFC, so the same name typed two ways is one name', async () => {
    const composed = 'Caf\u00e9';
    const decomposed = 'Cafe\u0301';
    const first = await t.request({ method: 'POST', url: '/stores', payload: { name: decomposed } });
    expect(first.statusCode).toBe(201);
    expect(first.data.name).toBe(composed);
    const second = await t.request({ method: 'POST', url: '/stores', payload: { name: composed } });
    expect(second.statusCode).toBe(409);
    expect(await names()).toEqual([composed]);
  });

  it.each([
    ['a zero-width space', 'My Store\u200b'],
    ['a zero-width joiner', 'My\u200dStore'],
    ['a right-to-left override', '\u202eerotS yM'],
    ['a bidi isolate', 'My \u2066Store\u2069'],
    ['a byte order mark', '\ufeffMy Store'],
    ['a soft hyphen', 'My Sto\u00adre'],
    ['a C1 control', 'My\u0085Store'],
    ['a tab', 'My\tStore'],
  ])('refuses a name with %s, pointing at /name', async (_what, name) => {
    await t.request({ method: 'POST', url: '/stores', payload: { name: 'My Store' } });
    const response = await t.request({ method: 'POST', url: '/stores', payload: { name } });
    expect(response.statusCode).toBe(400);
    expect(response.data.errors).toEqual([expect.objectContaining({ location: 'body', pointer: '/name' })]);
    expect(await names()).toEqual(['My Store']);
  });
});

describe('cursors', () => {
  it.each([
    ['not JSON', 'not json at all'],
    ['JSON but not an array', '{"a":1}'],
    ['an array of the wrong length', '[1,2]'],
  ])('answers 400 to a correctly signed cursor whose payload is %s', async (_what, text) => {
    const { cursorSecret } = await serverSecrets(t.db, { jwtSecret: undefined, cursorSecret: undefined });
    const payload = Buffer.from(text).toString('base64url');
    const signature = createHmac('sha256', cursorSecret).update(payload).digest('base64url').slice(0, 22);
    const response = await t.request({ method: 'GET', url: `/stores?cursor=${payload}.${signature}`, as: null });
    expect(response.statusCode).toBe(400);
    expect(response.data.type).toBe('/problems/malformed-request');
  });

  it.each(['garbage', 'a.b', 'a.b.c', '.'])('answers 400 to the unsigned cursor %j', async (cursor) => {
    const response = await t.request({ method: 'GET', url: `/stores?cursor=${cursor}`, as: null });
    expect(response.statusCode).toBe(400);
  });
});
