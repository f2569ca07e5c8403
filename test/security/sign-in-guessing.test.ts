import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { purgeForgotten } from '../../src/auth/sign-in-repository.js';
import { createTestApp, type Response, type TestApp } from '../helpers/test-app.js';

// Attack: 200 guesses at one account from 10 addresses in 32 s, no 429, and the right password still worked
// after. Now each account has its own count, kept in the database (so every instance shares it), across every
// address: past 5 failures each attempt must wait twice as long as the last, and one too early is a 429.

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ SIGN_IN_FREE_FAILURES: '5', SIGN_IN_MAX_DELAY: '2' });
});
afterEach(async () => {
  await t.close();
});

const addresses = Array.from({ length: 10 }, (_, i) => `198.51.100.${i + 1}`);
const signIn = (email: string, password: string, remoteAddress: string) =>
  t.request({ method: 'POST', url: '/auth/tokens', as: null, payload: { email, password }, remoteAddress });

/** Guesses from 10 addresses in turn, as fast as they are answered. */
async function guess(email: string, count: number): Promise<Response[]> {
  const answers: Response[] = [];
  for (let i = 0; i < count; i++) answers.push(await signIn(email, `guess number ${i}`, addresses[i % 10] ?? ''));
  return answers;
}

describe('guessing one account from many addresses', () => {
  it('gets 5 answers, then 429 with Retry-After, and the right password must wait too', async () => {
    const started = performance.now();
    const answers = await guess(t.user.email, 60);
    const statuses = answers.map((a) => a.statusCode);
    const figures = {
      guesses: 60,
      lookedAt: statuses.filter((s) => s === 401).length,
      throttled: statuses.filter((s) => s === 429).length,
      ms: Math.round(performance.now() - started),
    };
    console.log('sign-in guessing figures', JSON.stringify(figures));
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    // Only the guesses after each wait are looked at: a handful, not 60.
    expect(statuses.filter((s) => s === 401).length).toBeLessThan(10);
    const throttled = answers.filter((a) => a.statusCode === 429);
    expect(throttled.length).toBeGreaterThan(50);
    for (const answer of throttled) {
      expect(answer.data).toMatchObject({ status: 429, type: '/problems/sign-in-throttled' });
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(answer.headers['retry-after'])).toBeLessThanOrEqual(2);
    }
    const right = await signIn(t.user.email, t.user.password, '203.0.113.9');
    expect(right.statusCode).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, Number(right.headers['retry-after']) * 1000 + 100));
    expect((await signIn(t.user.email, t.user.password, '203.0.113.9')).statusCode).toBe(200);
    // A success starts the count again: five more failures are answered 401.
    const after = await guess(t.user.email, 5);
    expect(after.map((a) => a.statusCode)).toEqual([401, 401, 401, 401, 401]);
  });

  it('answers an unknown address exactly as a real account, so it does not tell which exist', async () => {
    const real = await guess(t.user.email, 12);
    const unknown = await guess('nobody-here@example.com', 12);
    expect(unknown.map((a) => a.statusCode)).toEqual(real.map((a) => a.statusCode));
    expect(unknown.map((a) => a.data.detail)).toEqual(real.map((a) => a.data.detail));
  });

  it('counts a burst of parallel guesses as it arrives', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signIn(t.user.email, `parallel ${i}`, addresses[i % 10] ?? '')),
    );
    expect(answers.filter((a) => a.statusCode === 401).length).toBeLessThanOrEqual(6);
    expect(answers.filter((a) => a.statusCode === 429).length).toBeGreaterThanOrEqual(24);
  });

  it('times the waits by the database’s clock: an instance whose clock is 90 s ahead still makes the guess wait', async () => {
    const answers = await guess(t.user.email, 6);
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401, 401, 401]);
    // The 6th failure imposed a wait of 1 s; this process's clock now says 90 s have passed.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 90_000 });
    try {
      const early = await signIn(t.user.email, 'one more guess', '203.0.113.77');
      expect(early.statusCode).toBe(429);
      expect(early.data).toMatchObject({ type: '/problems/sign-in-throttled' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('purges the counts of accounts with no attempt for a day, and no other', async () => {
    await guess(t.user.email, 2);
    const day = 24 * 60 * 60 * 1000;
    const old = Date.now() - day - 1000;
    await t.db
      .insertInto('sign_in_failures')
      .values({ account: 'forgotten', failures: 9, delay_ms: 1000, blocked_until_ms: old, last_failed_ms: old })
      .execute();
    expect(await purgeForgotten(t.db, Date.now() - day)).toBe(1);
    const left = await t.db.selectFrom('sign_in_failures').select(['account', 'failures']).execute();
    expect(left).toEqual([expect.objectContaining({ failures: 2 })]);
  });

  it('keeps the count in the database, where every instance reads it', async () => {
    await guess(t.user.email, 6);
    const rows = await t.db.selectFrom('sign_in_failures').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.failures).toBe(6);
    // The address itself is not kept: only a keyed hash of it.
    expect(JSON.stringify(rows)).not.toContain(t.user.email);
  });
});
