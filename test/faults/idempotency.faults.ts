import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { noShedding, type ServerProcess, scratchDatabase, startServer } from '../helpers/server-process.js';
import { type Answer, apiPort, call, query, signUp, sleep, startPostgres, tally } from './support.js';

// Idempotency-Key under the faults that broke it: two instances whose clocks are 90 s apart (libfaketime), and a
// SIGKILL in the middle of a burst of keyed creates. Each key must have one answer, one store, and the clients
// that retry must get it within seconds.

const libfaketime = process.env.LIBFAKETIME ?? '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const processes: ServerProcess[] = [];
let postgres: Awaited<ReturnType<typeof startPostgres>> | undefined;
let scratch: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
afterAll(async () => {
  for (const server of processes) await server.stop('SIGKILL');
  await postgres?.stop();
  await scratch?.remove();
});

const createStore = (base: string, token: string, key: string) =>
  call(base, 'POST', '/stores', { token, body: { name: `Store for ${key}` }, headers: { 'idempotency-key': key } });

describe('Idempotency-Key under faults', () => {
  it('two instances 90 s apart: every key sent 10 times gets one answer and one store', async () => {
    postgres = await startPostgres();
    const url = await postgres.freshDatabase();
    const env = { DATABASE_URL: url, SEED_DEMO_DATA: 'false', SHUTDOWN_DELAY: '0', ...noShedding };
    const behind = await startServer({ ...env, PORT: apiPort() });
    processes.push(behind);
    const ahead = await startServer({
      ...env,
      PORT: apiPort(),
      LD_PRELOAD: libfaketime,
      FAKETIME: '+90s',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    });
    processes.push(ahead);
    const skew = Date.parse(String((await fetch(`${ahead.base}/healthz`)).headers.get('date'))) - Date.now();
    expect(skew).toBeGreaterThan(80_000);

    const token = await signUp(behind.base, 'skew@example.com');
    const keys = Array.from({ length: 30 }, (_, k) => `skew-${k}`);
    const answers = await Promise.all(
      keys.map(async (key) => {
        // The first send reaches the instance behind; the others follow on both while it may still run.
        const first = createStore(behind.base, token, key);
        await sleep(5);
        const rest = Array.from({ length: 9 }, (_, i) => createStore(i % 2 ? behind.base : ahead.base, token, key));
        return { key, all: await Promise.all([first, ...rest]) };
      }),
    );
    const mixed = answers.filter(({ all }) => new Set(all.map((a) => `${a.status} ${a.body.id}`)).size !== 1);
    const rows = await query<{ count: number }>(
      url,
      "select count(*)::int as count from stores where name like 'Store for skew-%'",
    );
    console.log(
      'faults figures: idempotency with clocks 90 s apart',
      JSON.stringify({
        keys: keys.length,
        sends: keys.length * 10,
        statuses: tally(answers.flatMap(({ all }) => all.map((a) => a.status))),
        keysWithMixedAnswers: mixed.length,
        stores: rows[0]?.count,
      }),
    );
    expect(mixed.map(({ key, all }) => `${key}: ${all.map((a) => a.status).join(',')}`)).toEqual([]);
    expect(answers.every(({ all }) => all[0]?.status === 201)).toBe(true);
    expect(rows[0]?.count).toBe(keys.length);
  }, 120_000);

  it('SIGKILL mid-burst, then a restart: clients retrying each key get one store each within seconds', async () => {
    scratch = await scratchDatabase('faults-idempotency');
    const env = { DATABASE_URL: scratch.database, SEED_DEMO_DATA: 'false', SHUTDOWN_DELAY: '0', ...noShedding };
    const port = apiPort();
    const first = await startServer({ ...env, PORT: port });
    processes.push(first);
    const token = await signUp(first.base, 'burst@example.com');
    const keys = Array.from({ length: 60 }, (_, k) => `burst-${k}`);
    const before = keys.map((key) => createStore(first.base, token, key));
    // Killed as the first answers come back, with the others in flight: some claimed, some half done.
    await Promise.race(before);
    await sleep(10);
    await first.stop('SIGKILL');
    const beforeKill = await Promise.all(before);

    const left = new SQLite(scratch.database, { readonly: true });
    const stale = left.prepare('select count(*) from idempotency_keys where status is null').pluck().get();
    left.close();
    const second = await startServer({ ...env, PORT: port });
    processes.push(second);
    const restartedAt = performance.now();
    const retries: Answer[] = [];
    const finals = await Promise.all(
      keys.map(async (key) => {
        for (;;) {
          const answer = await createStore(second.base, token, key);
          retries.push(answer);
          if (answer.status !== 409 && answer.status !== 503) return answer;
          expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
          await sleep(Number(answer.headers.get('retry-after')) * 1000);
        }
      }),
    );
    const allAnsweredMs = performance.now() - restartedAt;
    const ids = new Set(finals.map((a) => a.body.id));
    const sqlite = new SQLite(scratch.database, { readonly: true });
    const names = sqlite.prepare("select name from stores where name like 'Store for burst-%'").pluck().all();
    sqlite.close();
    console.log(
      'faults figures: idempotency after SIGKILL',
      JSON.stringify({
        keys: keys.length,
        answeredBeforeKill: beforeKill.filter((a) => a.status === 201).length,
        pendingClaimsLeft: stale,
        retryStatuses: tally(retries.map((a) => a.status)),
        allAnsweredMs: Math.round(allAnsweredMs),
      }),
    );
    expect(finals.every((a) => a.status === 201)).toBe(true);
    expect(ids.size).toBe(keys.length);
    for (const answer of beforeKill.filter((a) => a.status === 201)) expect(ids.has(answer.body.id)).toBe(true);
    // One store per key: none lost, none doubled.
    expect(names.sort()).toEqual(keys.map((k) => `Store for ${k}`).sort());
    expect(allAnsweredMs).toBeLessThan(20_000);
  }, 120_000);
});
