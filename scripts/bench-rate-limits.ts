// npm run bench:rate-limits: what counting rate limits in the database costs, in CPU per request. In one process,
// with app.inject (no sockets), on a SQLite file, or on PostgreSQL when TEST_DATABASE_URL names one
// (`scripts/postgres-local.sh run -- npm run bench:rate-limits`; the database server's own CPU is read from
// /proc when it runs on this machine). Measures: getStore with no limit, getStore behind a per-client limit
// counted by the configured store (as a global limit on every request would be), createToken (limited, with
// the production scrypt cost), and the count alone. Indicative: a busy machine moves every figure.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDatabase, type Db, isPostgres } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { countRequest } from '../src/rate-limits/repository.js';

const requests = Number(process.env.BENCH_REQUESTS ?? 3000);
const signIns = Number(process.env.BENCH_SIGN_INS ?? 40);
const folder = await mkdtemp(join(tmpdir(), 'stores-api-rl-bench-'));
const pgUrl = process.env.TEST_DATABASE_URL;
let schema: string | undefined;
let databaseUrl = join(folder, 'bench.db');
if (pgUrl) {
  schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = createDatabase(pgUrl);
  await sql.raw(`create schema ${schema}`).execute(admin);
  await admin.destroy();
  const url = new URL(pgUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  databaseUrl = url.href;
}
const config = loadConfig({
  NODE_ENV: 'production',
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'warn',
  CURSOR_SECRET: randomBytes(32).toString('base64url'),
  JWT_SECRET: randomBytes(32).toString('base64url'),
  ALLOWED_HOSTS: 'localhost:80,localhost',
  OVERLOAD_MAX_EVENT_LOOP_DELAY: '0',
});
const db = createDatabase(databaseUrl);
await migrateToLatest(db);
const app = await buildApp(config, { db, logStream: { write: () => {} } });
// As a global limit would: getStore counted on every request, never refused (the maximum is out of reach), when
// the request asks for it, so that the same route is measured with and without.
const limited = app.rateLimit({ max: 1_000_000_000, timeWindow: 60_000 });
app.addHook('onRequest', async (request, reply) => {
  if (request.headers['x-bench-limit'] === 'on') await limited.call(app, request, reply);
});
const storeGet = { method: 'GET' as const, url: '', headers: { host: 'localhost' } };
await app.ready();

const email = 'bench@example.com';
const password = 'bench password of some length';
const post = (url: string, payload: Record<string, string>, remoteAddress = '192.0.2.1') =>
  app.inject({ method: 'POST' as const, url, payload, remoteAddress, headers: { host: 'localhost' } });
await post('/users', { email, password });
const token = JSON.parse((await post('/auth/tokens', { email, password })).body).accessToken;
const store = await app.inject({
  method: 'POST',
  url: '/stores',
  payload: { name: 'Bench store' },
  headers: { host: 'localhost', authorization: `Bearer ${token}` },
});
const storeId = JSON.parse(store.body).id;

const postgresCpuMs = await databaseServerCpu(db);

async function measure(name: string, count: number, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(200, count); i++) await run(i); // warm-up
  const database = await postgresCpuMs?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) await run(i);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const serverMs = database === undefined ? undefined : ((await postgresCpuMs?.()) ?? 0) - database;
  const perRequest = (ms: number) => `${((ms * 1000) / count).toFixed(1)} µs`;
  console.log(
    `${name.padEnd(40)} node CPU ${perRequest((used.user + used.system) / 1000).padStart(10)}  wall ${perRequest(wall).padStart(10)}` +
      (serverMs === undefined ? '' : `  postgres CPU ${perRequest(serverMs).padStart(10)}`),
  );
}

console.log(
  `${isPostgres(db) ? 'PostgreSQL' : 'SQLite file'}, ${requests} requests each (createToken ${signIns}), one at a time`,
);
for (let round = 1; round <= 2; round++) {
  console.log(`round ${round}`);
  await measure('getStore, no limit', requests, () =>
    app.inject({ ...storeGet, url: `/stores/${storeId}`, headers: { ...storeGet.headers, 'x-bench-limit': 'off' } }),
  );
  await measure('getStore behind a counted per-client limit', requests, () =>
    app.inject({ ...storeGet, url: `/stores/${storeId}`, headers: { ...storeGet.headers, 'x-bench-limit': 'on' } }),
  );
  await measure('the count alone (countRequest)', requests, (i) =>
    countRequest(db, `bench|192.0.2.${i % 200}`, 60_000),
  );
  // A new client address each time, so that the 20-a-minute limit does not answer instead of the handler.
  await measure('createToken (scrypt N=2^15)', signIns, (i) =>
    post('/auth/tokens', { email, password }, `10.${round}.${i >> 8}.${i & 255}`),
  );
}

const counted = await db.selectFrom('rate_limit_windows').select(['key', 'hits']).execute();
console.log(`counted in rate_limit_windows: ${counted.map((row) => `${row.key}=${row.hits}`).join(', ')}`);
await app.close();
if (schema && pgUrl) {
  const admin = createDatabase(pgUrl);
  await sql.raw(`drop schema ${schema} cascade`).execute(admin);
  await admin.destroy();
}
await db.destroy().catch(() => {});
await rm(folder, { recursive: true, force: true });

/**
 * A reader of the CPU time (ms) used so far by the PostgreSQL server's processes, when it runs on this machine
 * and /proc lets us read them; undefined for SQLite, which runs inside this process and is in its CPU time.
 */
async function databaseServerCpu(db: Db): Promise<(() => Promise<number>) | undefined> {
  if (!isPostgres(db)) return undefined;
  try {
    const { rows } = await sql<{ dir: string }>`select current_setting('data_directory') as dir`.execute(db);
    const postmaster = Number(readFileSync(join(rows[0]?.dir ?? '', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const ticks = 100;
    return async () => {
      let total = 0;
      const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim().split(/\s+/);
      for (const pid of [String(postmaster), ...children]) {
        try {
          const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
          total += (Number(fields[11]) + Number(fields[12])) * (1000 / ticks);
        } catch {
          // A process that ended between the listing and the read.
        }
      }
      return total;
    };
  } catch {
    return undefined;
  }
}
