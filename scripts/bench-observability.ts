// npm run bench:observability: what the access log and the metrics cost on getStore. One built API (dist/, as
// `npm run start:prod` runs it) is started four times on one seeded SQLite file: without either (LOG_LEVEL=warn,
// METRICS_PORT=off), with the access log only (LOG_LEVEL=info: one line per request, read from a pipe as a log
// shipper would), with the metrics only (recorded, and scraped each second), and with both, as production runs
// by default. autocannon drives getStore at
// each in alternating rounds, so that drift on a shared machine hits both alike; the figure is the server's CPU
// time per request (from /proc), steadier than requests per second. Knobs: BENCH_ROUNDS (5), BENCH_SECONDS (5),
// BENCH_CONNECTIONS (10). Prints a table; writes nothing.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure } from './bench/load.js';
import { scenarios } from './bench/scenarios.js';
import { seed } from './bench/seed.js';
import { freePort, type Server } from './bench/servers.js';

const env = process.env;
const rounds = Number(env.BENCH_ROUNDS ?? 5);
const seconds = Number(env.BENCH_SECONDS ?? 5);
const connections = Number(env.BENCH_CONNECTIONS ?? 10);
const root = new URL('../', import.meta.url).pathname;
const secrets = {
  CURSOR_SECRET: randomBytes(32).toString('base64url'),
  JWT_SECRET: randomBytes(32).toString('base64url'),
  ACCESS_TOKEN_TTL: '86400',
};

async function start(name: string, file: string, extra: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=2', 'dist/src/server.js'], {
    cwd: root,
    env: {
      ...process.env,
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
  const variants: [string, Record<string, string>][] = [
    ['warn, no metrics', { LOG_LEVEL: 'warn', METRICS_PORT: 'off' }],
    ['info (access log)', { LOG_LEVEL: 'info', METRICS_PORT: 'off' }],
    ['warn + metrics', { LOG_LEVEL: 'warn', METRICS_PORT: String(metricsPorts[0]) }],
    ['info + metrics', { LOG_LEVEL: 'info', METRICS_PORT: String(metricsPorts[1]) }],
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
  const cpu = new Map<Server, number[]>(servers.map((server) => [server, []]));
  const rps = new Map<Server, number[]>(servers.map((server) => [server, []]));
  // A warm-up round each (JIT, statement cache), not counted.
  for (const server of servers) await measure(server, getStore, { seconds: 2, connections });
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const server of order) {
      const m = await measure(server, getStore, { seconds, connections });
      cpu.get(server)?.push(m.cpuUsPerRequest ?? Number.NaN);
      rps.get(server)?.push(m.requestsPerSecond);
    }
  }
  clearInterval(scraper);
  const median = (values: number[] = []) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const base = median(cpu.get(servers[0] as Server));
  console.log(
    `getStore, ${rounds} rounds × ${seconds} s, ${connections} connections; ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}, Node ${process.version}`,
  );
  console.log('| server | CPU µs/request (median) | against the first | rounds | requests/s (median) |');
  console.log('|---|---|---|---|---|');
  for (const server of servers) {
    const c = cpu.get(server) ?? [];
    const cost = (median(c) / base - 1) * 100;
    console.log(
      `| ${server.name} | ${median(c).toFixed(0)} | ${cost >= 0 ? '+' : ''}${cost.toFixed(1)} % | ${c.map((v) => v.toFixed(0)).join(', ')} | ${median(rps.get(server)).toFixed(0)} |`,
    );
  }
} finally {
  for (const server of servers) server.child.kill('SIGTERM');
  await rm(folder, { recursive: true, force: true });
}
