import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noShedding, type ServerProcess, startServer } from '../helpers/server-process.js';
import {
  type Answer,
  apiPort,
  call,
  isProperUnavailable,
  query,
  signUp,
  sleep,
  startPostgres,
  tally,
  waitFor,
} from './support.js';

// PostgreSQL restarts, and goes away for 10 s, while clients write through the API. The API must stay up, answer
// every request within bounded time (201, or 503 problem+json with Retry-After), say not-ready meanwhile, come
// back by itself when the database does, and keep every acknowledged write exactly once.

let postgres: Awaited<ReturnType<typeof startPostgres>>;
let databaseUrl: string;
let server: ServerProcess;
let token: string;
let storeId: string;
beforeAll(async () => {
  postgres = await startPostgres();
  databaseUrl = await postgres.freshDatabase();
  server = await startServer({
    DATABASE_URL: databaseUrl,
    PORT: apiPort(),
    SEED_DEMO_DATA: 'false',
    SHUTDOWN_DELAY: '0',
    ...noShedding,
  });
  token = await signUp(server.base, 'outage@example.com');
  storeId = String((await call(server.base, 'POST', '/stores', { token, body: { name: 'Outage' } })).body.id);
}, 120_000);
afterAll(async () => {
  await server?.stop('SIGTERM');
  await postgres?.stop();
});

interface Sent {
  name: string;
  answer: Answer;
  at: number;
}

/** Four clients creating items without pause (100 ms after a refusal) until stopped. */
function writeLoad(tag: string) {
  const sent: Sent[] = [];
  let running = true;
  const writers = Array.from({ length: 4 }, async (_, w) => {
    for (let i = 0; running; i++) {
      const name = `${tag} writer ${w} item ${i}`;
      const answer = await call(server.base, 'POST', '/items', { token, body: { storeId, name, price: 1 } });
      sent.push({ name, answer, at: performance.now() });
      if (answer.status !== 201) await sleep(100);
    }
  });
  return {
    sent,
    async stop() {
      running = false;
      await Promise.all(writers);
      return sent;
    },
  };
}

/** Every acknowledged item is in the database once; nothing is there that was not sent. */
async function expectExactlyAcknowledged(tag: string, sent: Sent[]) {
  const rows = await query<{ name: string; copies: number }>(
    databaseUrl,
    'select name, count(*)::int as copies from items where name like $1 group by name',
    [`${tag} %`],
  );
  const stored = new Map(rows.map((r) => [r.name, r.copies]));
  const acknowledged = sent.filter((s) => s.answer.status === 201).map((s) => s.name);
  expect(acknowledged.filter((name) => stored.get(name) !== 1)).toEqual([]);
  const names = new Set(sent.map((s) => s.name));
  expect([...stored.keys()].filter((name) => !names.has(name))).toEqual([]);
  expect([...stored.values()].every((copies) => copies === 1)).toBe(true);
  return { acknowledged: acknowledged.length, stored: stored.size };
}

const figures = (name: string, value: unknown) => console.log(`faults figures: ${name}`, JSON.stringify(value));

describe('PostgreSQL restarts or goes away under a write load', () => {
  it('a restart (pg_ctl restart -m fast): no crash, only 201 or a proper 503, then writes again', async () => {
    const load = writeLoad('restart');
    await sleep(1_000);
    const restartedAt = performance.now();
    await postgres.restart();
    await sleep(2_000);
    const sent = await load.stop();
    expect(server.child.exitCode).toBeNull();
    const statuses = sent.map((s) => s.answer.status);
    expect(sent.filter((s) => s.answer.status !== 201).every((s) => isProperUnavailable(s.answer))).toBe(true);
    const after = sent.filter((s) => s.at > restartedAt && s.answer.status === 201);
    expect(after.length).toBeGreaterThan(0);
    const counts = await expectExactlyAcknowledged('restart', sent);
    figures('postgres restart', {
      statuses: tally(statuses),
      slowestMs: Math.round(Math.max(...sent.map((s) => s.answer.ms))),
      ...counts,
    });
  }, 60_000);

  it('a 10 s stop: every request answered (503 + Retry-After) within 1 s, /readyz 503, back by itself', async () => {
    const load = writeLoad('stop');
    await sleep(1_000);
    await postgres.halt();
    const stoppedAt = performance.now();
    const readyDuring = await call(server.base, 'GET', '/readyz');
    const reads = await call(server.base, 'GET', `/stores/${storeId}`, { token });
    await sleep(10_000);
    const resumedAt = performance.now();
    await postgres.resume();
    const recoveredMs = await waitFor(async () => (await call(server.base, 'GET', '/readyz')).status === 200, 20_000);
    await sleep(1_000);
    const sent = await load.stop();

    expect(server.child.exitCode).toBeNull();
    expect(isProperUnavailable(readyDuring)).toBe(true);
    expect(isProperUnavailable(reads)).toBe(true);
    const during = sent.filter((s) => s.at > stoppedAt + 200 && s.at < resumedAt);
    expect(during.length).toBeGreaterThan(10);
    expect(during.every((s) => isProperUnavailable(s.answer))).toBe(true);
    expect(Math.max(...during.map((s) => s.answer.ms))).toBeLessThan(1_000);
    expect(sent.filter((s) => s.answer.status !== 201).every((s) => isProperUnavailable(s.answer))).toBe(true);
    expect(recoveredMs).toBeGreaterThanOrEqual(0);
    const firstWriteBack = sent.find((s) => s.at > resumedAt && s.answer.status === 201);
    expect(firstWriteBack).toBeDefined();
    const counts = await expectExactlyAcknowledged('stop', sent);
    figures('postgres stopped 10 s', {
      statuses: tally(sent.map((s) => s.answer.status)),
      slowestAnswerDuringOutageMs: Math.round(Math.max(...during.map((s) => s.answer.ms))),
      readyAgainAfterResumeMs: Math.round(recoveredMs),
      firstWriteAfterResumeMs: Math.round((firstWriteBack?.at ?? 0) - resumedAt),
      ...counts,
    });
  }, 60_000);

  it('a read-only database (default_transaction_read_only, as on a standby): writes 503, reads 200, /readyz 503', async () => {
    const readOnly = async (on: boolean) => {
      await query(postgres.url, `alter system set default_transaction_read_only = ${on ? 'on' : 'off'}`);
      await query(postgres.url, 'select pg_reload_conf()');
      await sleep(300);
    };
    await readOnly(true);
    let write: Answer;
    let read: Answer;
    let ready: Answer;
    try {
      write = await call(server.base, 'POST', '/items', { token, body: { storeId, name: 'read-only', price: 1 } });
      read = await call(server.base, 'GET', `/stores/${storeId}`, { token });
      ready = await call(server.base, 'GET', '/readyz');
    } finally {
      await readOnly(false);
    }
    const after = await call(server.base, 'POST', '/items', { token, body: { storeId, name: 'writable', price: 1 } });
    figures('postgres read-only', {
      write: write.status,
      read: read.status,
      readyz: ready.status,
      reason: ready.body.detail,
    });
    expect(isProperUnavailable(write)).toBe(true);
    expect(read.status).toBe(200);
    expect(isProperUnavailable(ready)).toBe(true);
    expect(String(ready.body.detail)).toMatch(/read-only/);
    expect(after.status).toBe(201);
    expect((await call(server.base, 'GET', '/readyz')).status).toBe(200);
    expect(await query(databaseUrl, "select 1 from items where name = 'read-only'")).toEqual([]);
  }, 30_000);

  it('start-up while the database is down: alive and saying not-ready (503) until it is back, then serves', async () => {
    const fresh = await postgres.freshDatabase();
    await postgres.halt();
    const port = apiPort();
    const base = `http://127.0.0.1:${port}`;
    const starting = startServer({
      DATABASE_URL: fresh,
      PORT: port,
      SEED_DEMO_DATA: 'false',
      SHUTDOWN_DELAY: '0',
      ...noShedding,
    });
    starting.catch(() => undefined);
    const listeningMs = await waitFor(async () => (await call(base, 'GET', '/healthz')).status === 200, 60_000);
    await sleep(2_000);
    const live = await call(base, 'GET', '/healthz');
    const ready = await call(base, 'GET', '/readyz');
    const operation = await call(base, 'POST', '/users', {
      body: { email: 'early@example.com', password: 'early password' },
    });
    await postgres.resume();
    const late = await starting;
    try {
      figures('start-up without the database', { listeningMs: Math.round(listeningMs), readyz: ready.body.detail });
      expect(live.status).toBe(200);
      expect(isProperUnavailable(ready)).toBe(true);
      expect(String(ready.body.detail)).toMatch(/starting/);
      expect(isProperUnavailable(operation)).toBe(true);
      expect(late.output()).toMatch(/start-up: The database does not answer/);
      const lateToken = await signUp(late.base, 'late@example.com');
      expect((await call(late.base, 'POST', '/stores', { token: lateToken, body: { name: 'Late' } })).status).toBe(201);
    } finally {
      expect(await late.stop('SIGTERM')).toBe(0);
    }
  }, 120_000);
});
