// npm run bench:quick: requests per second of GET /stores/{storeId} on the full API against a hand-written Fastify
// route doing the same lookup (scripts/bench/baseline-server.ts), measured side by side in one run. Both servers
// run as their own processes on one SQLite file; rounds alternate A, B, A, B so that drift hits both alike.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { uuidv7 } from 'uuidv7';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = 10;
const root = new URL('../', import.meta.url).pathname;
const folder = await mkdtemp(join(tmpdir(), 'stores-api-bench-'));
const databaseUrl = join(folder, 'bench.db');

const db = createDatabase(databaseUrl);
await migrateToLatest(db);
const now = new Date().toISOString();
const storeIds = Array.from({ length: 100 }, () => uuidv7());
await db
  .insertInto('stores')
  .values(storeIds.map((id, i) => ({ id, name: `Store ${i}`, created_at: now, updated_at: now })))
  .execute();
await db.destroy();

function start(script: string, port: number): Promise<ChildProcess> {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [script], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'production',
      CURSOR_SECRET: 'benchmark-cursor-secret-benchmark-cursor',
      JWT_SECRET: 'benchmark-jwt-secret-benchmark-jwt-secret',
      LOG_LEVEL: 'warn',
      MIGRATE_ON_START: 'false',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return waitUntilServing(port).then(() => child);
}

async function waitUntilServing(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/stores/${storeIds[0]}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on port ${port} did not start`);
}

async function measure(port: number): Promise<number> {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, path: `/stores/${storeIds[next++ % storeIds.length]}` }) }],
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`port ${port}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

const api = await start('src/server.ts', 3101);
const baseline = await start('scripts/bench/baseline-server.ts', 3102);
const results = { api: [] as number[], baseline: [] as number[] };
try {
  await measure(3101);
  await measure(3102);
  for (let round = 1; round <= rounds; round++) {
    results.api.push(await measure(3101));
    results.baseline.push(await measure(3102));
    console.log(`round ${round}: api ${results.api.at(-1)} req/s, baseline ${results.baseline.at(-1)} req/s`);
  }
} finally {
  api.kill();
  baseline.kill();
  await rm(folder, { recursive: true, force: true });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const apiRps = median(results.api);
const baselineRps = median(results.baseline);
console.log(
  `\nGET /stores/{storeId}, ${connections} connections, ${rounds} × ${seconds} s rounds, ${cpus().length} cores, Node ${process.version}`,
);
console.log('| server | requests/s (median) |');
console.log('|---|---|');
console.log(`| stores-api (spec-driven) | ${apiRps.toFixed(0)} |`);
console.log(`| plain Fastify route | ${baselineRps.toFixed(0)} |`);
console.log(`| ratio api ÷ baseline | ${(apiRps / baselineRps).toFixed(2)} |`);
