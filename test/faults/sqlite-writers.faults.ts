import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noShedding, type ServerProcess, scratchDatabase, startServer } from '../helpers/server-process.js';
import { apiPort, call, isProperUnavailable, signUp, sleep, tally } from './support.js';

// Two API processes on one SQLite file with REQUIRE_IF_MATCH=true: every change reads, compares its ETag and
// writes in one transaction, the path on which a plain BEGIN met SQLITE_BUSY at once. Clients increment one
// item's price by a cent, read-compare-write, until each has made its share: no 500, and the final price counts
// every acknowledged increment once. A write lock held past the busy timeout is a 503 with Retry-After.

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let servers: ServerProcess[] = [];
let token: string;
let itemId: string;
beforeAll(async () => {
  scratch = await scratchDatabase('faults-writers');
  const env = { DATABASE_URL: scratch.database, SEED_DEMO_DATA: 'false', REQUIRE_IF_MATCH: 'true', ...noShedding };
  const first = await startServer({ ...env, PORT: apiPort() });
  servers = [first, await startServer({ ...env, PORT: apiPort() })];
  token = await signUp(first.base, 'writers@example.com');
  const store = await call(first.base, 'POST', '/stores', { token, body: { name: 'Counters' } });
  const item = await call(first.base, 'POST', '/items', {
    token,
    body: { storeId: store.body.id, name: 'n', price: 0 },
  });
  itemId = String(item.body.id);
}, 120_000);
afterAll(async () => {
  for (const server of servers) await server.stop('SIGTERM');
  await scratch.remove();
});

const base = (n: number) => servers[n % servers.length]?.base ?? '';

describe('two processes writing one SQLite file, If-Match on every write', () => {
  it('no 500: each increment lands once (200) or is refused as stale (412) and retried', async () => {
    const clients = 16;
    const each = 10;
    const statuses: number[] = [];
    const started = performance.now();
    let acknowledged = 0;
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let done = 0, attempt = 0; done < each; attempt++) {
          const at = base(c + attempt);
          const current = await call(at, 'GET', `/items/${itemId}`, { token });
          statuses.push(current.status);
          if (current.status !== 200) continue;
          const cents = Math.round(Number(current.body.price) * 100);
          const changed = await call(at, 'PATCH', `/items/${itemId}`, {
            token,
            body: { price: (cents + 1) / 100 },
            headers: { 'if-match': current.headers.get('etag') ?? '' },
          });
          statuses.push(changed.status);
          if (changed.status === 200) {
            acknowledged++;
            done++;
          } else if (changed.status !== 412) {
            return;
          }
        }
      }),
    );
    const final = await call(base(0), 'GET', `/items/${itemId}`, { token });
    console.log(
      'faults figures: two SQLite writers with If-Match',
      JSON.stringify({ statuses: tally(statuses), acknowledged, ms: Math.round(performance.now() - started) }),
    );
    expect(Object.keys(tally(statuses)).sort()).toEqual(['200', '412']);
    expect(acknowledged).toBe(clients * each);
    expect(Math.round(Number(final.body.price) * 100)).toBe(acknowledged);
  }, 120_000);

  it('a write lock held past the busy timeout (5 s): 503 with Retry-After, reads served, then writes again', async () => {
    const holder = new SQLite(scratch.database);
    holder.pragma('busy_timeout = 5000');
    holder.prepare('begin immediate').run();
    let patch: Awaited<ReturnType<typeof call>>;
    let read: Awaited<ReturnType<typeof call>>;
    try {
      const current = await call(base(0), 'GET', `/items/${itemId}`, { token });
      [patch, read] = await Promise.all([
        call(base(0), 'PATCH', `/items/${itemId}`, {
          token,
          body: { price: 1 },
          headers: { 'if-match': current.headers.get('etag') ?? '' },
        }),
        sleep(1_000).then(() => call(base(1), 'GET', `/items/${itemId}`, { token })),
      ]);
    } finally {
      holder.prepare('rollback').run();
      holder.close();
    }
    expect(read.status).toBe(200);
    expect(isProperUnavailable(patch)).toBe(true);
    expect(patch.ms).toBeGreaterThan(4_500);
    const current = await call(base(1), 'GET', `/items/${itemId}`, { token });
    const after = await call(base(1), 'PATCH', `/items/${itemId}`, {
      token,
      body: { price: 1 },
      headers: { 'if-match': current.headers.get('etag') ?? '' },
    });
    expect(after.status).toBe(200);
    console.log(
      'faults figures: write lock held 5 s+',
      JSON.stringify({ status: patch.status, ms: Math.round(patch.ms) }),
    );
  }, 60_000);
});
