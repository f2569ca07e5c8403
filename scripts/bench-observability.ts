// npm run bench:observability: what the access log and the metrics cost on getStore. One built API (dist/, run
// as `npm run start:prod` runs it) is started five times on one seeded SQLite file: the reference without either
// (LOG_LEVEL=warn, METRICS_PORT=off) twice, with the access log only (LOG_LEVEL=info: one line per request, read
// from a pipe as a log shipper would), with the metrics only (recorded, and scraped each second), and with both,
// as production runs by default. Each variant is measured in pairs with the reference: autocannon drives getStore
// at both at once, so that whatever else the machine does hits both alike, and the figure is the ratio of the two
// servers' CPU time per request (from /proc) in the same seconds. The second reference measures the method's own
// noise (a ratio that should be 1). Knobs: BENCH_ROUNDS (8), BENCH_SECONDS (3), BENCH_CONNECTIONS (5 per server).
// Prints a table; writes nothing.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure } from './bench/load.js';
import { scenarios } from './bench/scenarios.js';
import { seed } from './bench/seed.js';
import { freePort, productionRuntime, type Server } from './bench/servers.js';

const env = process.env;
const rounds = Number(env.BENCH_ROUNDS ?? 8);
const seconds = Number(env.BENCH_SECONDS ?? 3);
const connections = Number(env.BENCH_CONNECTIONS ?? 5);
const root = new URL('../', import.meta.url).pathname;
const secrets = {
  CURSOR_SECRET: randomBytes(32).toString('base64url'),
  JWT_SECRET: randomBytes(32).toString('base64url'),
  ACCESS_TOKEN_TTL: '86400',
};

const production = productionRuntime(root);

async function start(name: string, file: string, extra: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...production.nodeArgs, 'dist/src/server.js'], {
    cwd: root,
    env: {
      ...process.env,
      ...production.env,
      ...secrets,
      NODE_ENV: 'production',
      DATABASE_URL: file,
      ALLOWED_HOSTS: '127.0.0.1',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The log lines are read and dropped, as a log shipper reading the pipe would.
  child.stdout?.resume();
  for (let i = 0; i < 600; i++) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { name, port, child, startupMs: 0, startupCpuMs: undefined };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not become ready`);
}

const folder = await mkdtemp(join(tmpdir(), 'stores-api-bench-obs-'));
const servers: Server[] = [];
try {
  const file = join(folder, 'stores.db');
  const seeded = await seed(file, { stores: 100, items: 1000, tags: 100 }, secrets.JWT_SECRET);
  const getStore = scenarios(seeded, new Map()).find((s) => s.name === 'getStore');
  if (!getStore) throw new Error('no getStore scenario');
  const metricsPorts = [await freePort(), await freePort()];
  const reference = await start('warn, no metrics', file, { LOG_LEVEL: 'warn', METRICS_PORT: 'off' });
  servers.push(reference);
  const variants: [string, Record<string, string>][] = [
    ['warn, no metrics (the same again: the noise)', { LOG_LEVEL: 'warn', METRICS_PORT: 'off' }],
    ['info (access log)', { LOG_LEVEL: 'info', METRICS_PORT: 'off' }],
    ['warn + metrics', { LOG_LEVEL: 'warn', METRICS_PORT: String(metricsPorts[0]) }],
    ['info + metrics (production)', { LOG_LEVEL: 'info', METRICS_PORT: String(metricsPorts[1]) }],
  ];
  for (const [name, settings] of variants) servers.push(await start(name, file, settings));
  const scraper = setInterval(() => {
    for (const port of metricsPorts) {
      fetch(`http://127.0.0.1:${port}/metrics`).then(
        (r) => r.text(),
        () => undefined,
      );
    }
  }, 1000);
  // A warm-up round each (JIT, statement cache), not counted.
  for (const server of servers) await measure(server, getStore, { seconds: 2, connections: connections * 2 });
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const rows: string[] = [];
  for (const server of servers.slice(1)) {
    const ratios: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const [base, variant] = await Promise.all(
        [reference, server].map((s) => measure(s, getStore, { seconds, connections })),
      );
      const ratio = (variant?.cpuUsPerRequest ?? Number.NaN) / (base?.cpuUsPerRequest ?? Number.NaN);
      ratios.push(ratio);
      cpu.push(variant?.cpuUsPerRequest ?? Number.NaN);
    }
    const cost = (median(ratios) - 1) * 100;
    rows.push(
      `| ${server.name} | ${median(cpu).toFixed(0)} | ${cost >= 0 ? '+' : ''}${cost.toFixed(1)} % | ${((Math.min(...ratios) - 1) * 100).toFixed(1)} … ${((Math.max(...ratios) - 1) * 100).toFixed(1)} % |`,
    );
  }
  clearInterval(scraper);
  console.log(
    `getStore, ${rounds} paired rounds × ${seconds} s, ${connections} connections per server; ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}, Node ${process.version}`,
  );
  console.log(
    '| server | CPU µs/request (median) | against the reference, same seconds (median) | range over rounds |',
  );
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(row);
} finally {
  for (const server of servers) server.child.kill('SIGTERM');
  await rm(folder, { recursive: true, force: true });
}
