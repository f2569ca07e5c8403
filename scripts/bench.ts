// npm run bench: the spec-driven API against the same-contract baseline (scripts/bench/baseline-server.ts: a
// hand-written Fastify service sending the same headers and bodies) and the floor (the same routes bare), on one
// seeded SQLite file, all built to JavaScript and run in production mode, each server alone on the last CPU and the
// load generator on the others (placement.ts). The answers are compared first (same-contract.ts); then autocannon
// drives each scenario in rounds, each starting with the next server, so that machine drift hits all alike;
// getStore also runs against the API at LOG_LEVEL=info. The table marks the targets of targets.ts met or not.
// Also times start-up, samples memory, and compares listItems on a small and a large catalogue. Writes
// benchmark/results.{json,md}; `--quick` (or BENCH_QUICK=1) is a short smoke run that only prints. Knobs:
// BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ITEMS, BENCH_SCALE_ITEMS (0 skips the scale check),
// BENCH_ONLY (scenario names, comma-separated), BENCH_PIN (false: no pinning), BENCH_CPU_PROF (a folder: every
// server writes V8 CPU profiles there), BENCH_OUT (where results go).

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Measurement, measure } from './bench/load.js';
import { placeProcesses, releaseProcesses } from './bench/placement.js';
import {
  markdown,
  type Report,
  type ScenarioResult,
  scaleMarkdown,
  writeReport,
  writeScaleReport,
} from './bench/report.js';
import { checkSameContract } from './bench/same-contract.js';
import { scaleScenarios, scaleTarget } from './bench/scale.js';
import { type Scenario, scenarios } from './bench/scenarios.js';
import { type Seeded, seed } from './bench/seed.js';
import { memoryMiB, productionRuntime, type Server, startServer, stopServer } from './bench/servers.js';
import { idsOf, stall, stallMarkdown, writeStallReport } from './bench/stall.js';
import { logLevelCostTarget, targets } from './bench/targets.js';

const env = process.env;
const quick = process.argv.includes('--quick') || env.BENCH_QUICK === '1';
const knob = (name: string, fallback: number) => (env[name] === undefined ? fallback : Number(env[name]));
const settings = {
  rounds: knob('BENCH_ROUNDS', quick ? 1 : 5),
  seconds: knob('BENCH_SECONDS', quick ? 2 : 5),
  connections: knob('BENCH_CONNECTIONS', 10),
  items: knob('BENCH_ITEMS', quick ? 10_000 : 100_000),
  scaleItems: knob('BENCH_SCALE_ITEMS', quick ? 0 : 1_000_000),
};
const only = env.BENCH_ONLY?.split(',').map((name) => name.trim());
const output = env.BENCH_OUT ?? (quick ? undefined : 'benchmark');
const root = new URL('../', import.meta.url).pathname;
// Fresh secrets per run (a published one is refused), and a lifetime that covers the seeded 24-hour token.
const secrets = {
  CURSOR_SECRET: randomBytes(32).toString('base64url'),
  JWT_SECRET: randomBytes(32).toString('base64url'),
  ACCESS_TOKEN_TTL: '86400',
};
const folder = await mkdtemp(join(tmpdir(), 'stores-api-bench-'));
// Pinned for the comparison only (compare() releases it): the scale and stall checks measure latency, not limits.
const placement = placeProcesses(env.BENCH_PIN !== 'false' && only?.join() !== 'scale' && only?.join() !== 'stall');
const started: Server[] = [];

function log(line: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

function serverEnv(databaseUrl: string): Record<string, string> {
  return {
    ...secrets,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    // No metrics listener either: like the log, the metrics are not part of the wire contract and the baseline
    // has none; npm run bench:observability measures what both cost.
    METRICS_PORT: 'off',
    ALLOWED_HOSTS: '127.0.0.1',
  };
}

/**
 * Both servers run as `npm run start:prod`, the production command, runs the API: its Node flags and environment
 * settings, read from package.json, so the benchmark measures what is deployed with the same runtime settings
 * for the API and the baseline.
 */
const production = productionRuntime(root);
const nodeArgs = [
  ...production.nodeArgs,
  ...(env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROF}`] : []),
];

type ServerName = 'stores-api' | 'baseline' | 'floor' | 'stores-api (info)';
const scripts: Record<ServerName, string> = {
  'stores-api': 'dist/src/server.js',
  'stores-api (info)': 'dist/src/server.js',
  baseline: 'dist/scripts/bench/baseline-server.js',
  floor: 'dist/scripts/bench/baseline-server.js',
};

/**
 * Starts a server; it has started when it answers `firstPath` (a getStore: routing, validation and a query). The
 * floor is the baseline's routes without the contract (BASELINE=floor); `stores-api (info)` is the API at the
 * default production log level, its log read from a pipe as a log collector would.
 */
async function start(name: ServerName, databaseUrl: string, firstPath: string, pinned = true): Promise<Server> {
  const variables = { ...production.env, ...serverEnv(databaseUrl) };
  if (name === 'floor') variables.BASELINE = 'floor';
  if (name === 'stores-api (info)') variables.LOG_LEVEL = 'info';
  const server = await startServer(name, scripts[name], variables, {
    cwd: root,
    firstPath,
    nodeArgs,
    drainStdout: name === 'stores-api (info)',
    cpus: pinned ? placement?.serverCpus : undefined,
  });
  if (process.env.BENCH_CPU_PROF) log(`${name} is process ${server.child.pid} (its CPU profile's name holds the pid)`);
  started.push(server);
  return server;
}

async function stop(server: Server): Promise<void> {
  await stopServer(server);
  started.splice(started.indexOf(server), 1);
}

/** The current ETag of the first items, read from the API, for the conditional getItem. */
async function currentEtags(server: Server, itemIds: string[]): Promise<Map<string, string>> {
  const etags = new Map<string, string>();
  for (const id of itemIds.slice(0, 200)) {
    const etag = (await fetch(`http://127.0.0.1:${server.port}/items/${id}`)).headers.get('etag');
    if (etag) etags.set(id, etag);
  }
  return etags;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function summarize(runs: Measurement[]): Measurement {
  const rss = runs.flatMap((r) => (r.peakRssMiB === undefined ? [] : [r.peakRssMiB]));
  const cpu = runs.flatMap((r) => (r.cpuUsPerRequest === undefined ? [] : [r.cpuUsPerRequest]));
  return {
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    peakRssMiB: rss.length > 0 ? Math.max(...rss) : undefined,
    cpuUsPerRequest: cpu.length > 0 ? median(cpu) : undefined,
  };
}

/** The scenario whose API is also run at the default log level: the cheapest request, where logging weighs most. */
const logLevelScenario = 'getStore';

async function compare(seeded: Seeded, databaseUrl: string): Promise<Omit<Report, 'scale'>> {
  const startups: number[] = [];
  const startupCpu: number[] = [];
  const firstPath = `/stores/${seeded.storeIds[0]}`;
  for (let i = 0; i < 2; i++) {
    const probe = await start('stores-api', databaseUrl, firstPath);
    startups.push(probe.startupMs);
    if (probe.startupCpuMs !== undefined) startupCpu.push(probe.startupCpuMs);
    await stop(probe);
  }
  const api = await start('stores-api', databaseUrl, firstPath);
  startups.push(api.startupMs);
  if (api.startupCpuMs !== undefined) startupCpu.push(api.startupCpuMs);
  const cpu = startupCpu.map((ms) => ms.toFixed(0)).join(', ');
  log(`stores-api answered ${startups.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} after spawn (CPU: ${cpu} ms)`);
  const baseline = await start('baseline', databaseUrl, firstPath);
  const floor = await start('floor', databaseUrl, firstPath);
  const list = scenarios(seeded, await currentEtags(api, seeded.itemIds)).filter(
    (s) => !only || only.includes(s.name.split(' ')[0] as string),
  );
  await checkSameContract({ api, baseline, floor }, list);
  log('the baseline answers as the API does (status, headers, body) and the floor with the same status and body');
  const logged = list.some((s) => s.name === logLevelScenario)
    ? await start('stores-api (info)', databaseUrl, firstPath)
    : undefined;

  const serversOf = (scenario: Scenario) => [
    api,
    baseline,
    floor,
    ...(logged && scenario.name === logLevelScenario ? [logged] : []),
  ];
  const runs = new Map(
    list.map((s) => [s.name, new Map(serversOf(s).map((server) => [server.name, [] as Measurement[]]))]),
  );
  const warmUp = { seconds: Math.min(2, settings.seconds), connections: settings.connections };
  for (const scenario of list) for (const server of serversOf(scenario)) await measure(server, scenario, warmUp);
  // The API at info serves only getStore in the rounds, the API at warn every scenario; a server that has run
  // only one kind of request is faster at it (its code and caches see nothing else), which flattered `info` by
  // several per cent. So it runs each other scenario once too.
  if (logged)
    for (const scenario of list) if (scenario.name !== logLevelScenario) await measure(logged, scenario, warmUp);
  for (let round = 1; round <= settings.rounds; round++) {
    for (const scenario of list) {
      // Each round starts with the next server, so that drift on a shared machine hits all alike.
      const servers = serversOf(scenario);
      const order = servers.map((_, i) => servers[(i + round - 1) % servers.length] as Server);
      for (const server of order) {
        const result = await measure(server, scenario, settings);
        runs.get(scenario.name)?.get(server.name)?.push(result);
        const cpu = result.cpuUsPerRequest?.toFixed(0) ?? 'n/a';
        log(
          `round ${round} ${scenario.name} ${server.name}: ${result.requestsPerSecond.toFixed(0)} req/s, ${cpu} µs CPU/request`,
        );
      }
    }
  }
  const peakRssMiB = { api: memoryMiB(api.child.pid, 'VmHWM'), baseline: memoryMiB(baseline.child.pid, 'VmHWM') };
  for (const server of [api, baseline, floor, ...(logged ? [logged] : [])]) await stop(server);
  if (placement) releaseProcesses();

  const results: ScenarioResult[] = list.map((scenario) => {
    const measured = runs.get(scenario.name);
    const rounds = (name: string) => measured?.get(name) ?? [];
    const logRuns = rounds('stores-api (info)');
    return scenarioResult(
      scenario.name,
      targets[scenario.name] ?? 1,
      { api: rounds('stores-api'), baseline: rounds('baseline'), floor: rounds('floor') },
      logRuns.length > 0 ? logRuns : undefined,
    );
  });
  return {
    date: new Date().toISOString(),
    node: process.version,
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    load: loadavg(),
    placement: placement
      ? `each server alone on CPU ${placement.serverCpus}, the load generator on CPU ${placement.loadCpus}`
      : 'not pinned: servers and load generator share the CPUs',
    settings,
    scenarios: results,
    startupMs: {
      runs: startups,
      median: median(startups),
      cpuMedian: startupCpu.length > 0 ? median(startupCpu) : undefined,
    },
    peakRssMiB,
  };
}

/**
 * One scenario's figures: each server's median round, the API's ratios against the same-contract baseline (its
 * requests per second over the baseline's, the baseline's CPU per request over its own: above 1 is better for
 * both) with the spread of the per-round ratios, which is the noise of the run.
 */
function scenarioResult(
  name: string,
  target: number,
  rounds: { api: Measurement[]; baseline: Measurement[]; floor: Measurement[] },
  info: Measurement[] | undefined,
): ScenarioResult {
  const api = summarize(rounds.api);
  const baseline = summarize(rounds.baseline);
  const perRound = (ratio: (a: Measurement, b: Measurement) => number, others = rounds.baseline) =>
    rounds.api.flatMap((a, i) => {
      const b = others[i];
      return b ? [ratio(a, b)] : [];
    });
  const cpuRatio = (a: Measurement, b: Measurement) =>
    (b.cpuUsPerRequest ?? Number.NaN) / (a.cpuUsPerRequest ?? Number.NaN);
  const requestsRatio = (a: Measurement, b: Measurement) => a.requestsPerSecond / b.requestsPerSecond;
  const result: ScenarioResult = {
    name,
    target,
    api,
    baseline,
    floor: summarize(rounds.floor),
    ratio: median(perRound(requestsRatio)),
    cpuRatio: median(perRound(cpuRatio)),
    rounds: { ratio: perRound(requestsRatio), cpuRatio: perRound(cpuRatio) },
  };
  if (info) {
    // The API at info against itself at warn in the same round: its CPU per request over the other's, less one.
    const costs = perRound((warn, atInfo) => cpuRatio(warn, atInfo) - 1, info);
    result.logLevel = { info: summarize(info), cost: median(costs), rounds: costs, target: logLevelCostTarget };
  }
  return result;
}

/**
 * The scale check: each list scenario of scale.ts with one connection on a small and a large catalogue, the two
 * servers measured in turn (small, large, then large, small), p50 and p99 each the median of the rounds after a
 * warm-up round.
 */
async function scale(): Promise<NonNullable<Report['scale']>> {
  const smallItems = 10_000;
  const largeItems = settings.scaleItems;
  const servers: Server[] = [];
  const lists: Scenario[][] = [];
  for (const items of [smallItems, largeItems]) {
    const file = join(folder, `scale-${items}.db`);
    const started = Date.now();
    const seeded = await seed(file, { stores: 100, items, tags: 1000 }, secrets.JWT_SECRET);
    log(`seeded ${items} items for the scale check in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    servers.push(await start('stores-api', file, `/stores/${seeded.storeIds[0]}`, false));
    lists.push(scaleScenarios(seeded, items, secrets.CURSOR_SECRET, seeded.tagIds));
  }
  const names = (lists[0] ?? []).map((s) => s.name);
  const runs = names.map(() => [[], []] as Measurement[][]);
  const options = { seconds: knob('BENCH_SCALE_SECONDS', 2), connections: 1 };
  const rounds = knob('BENCH_SCALE_ROUNDS', 3);
  for (let round = 0; round < rounds; round++) {
    for (const [s, name] of names.entries()) {
      for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
        const result = await measure(servers[i] as Server, lists[i]?.[s] as Scenario, options);
        if (round > 0 || rounds === 1) runs[s]?.[i]?.push(result);
        log(
          `scale round ${round} ${name} ${i === 0 ? smallItems : largeItems}: p50 ${result.p50Ms.toFixed(3)} ms, p99 ${result.p99Ms.toFixed(3)} ms`,
        );
      }
    }
  }
  for (const server of servers) await stop(server);
  const rows = names.map((name, s) => {
    const [small, large] = (runs[s] ?? []).map((r) => ({
      p50Ms: median(r.map((m) => m.p50Ms)),
      p99Ms: median(r.map((m) => m.p99Ms)),
    }));
    return {
      name,
      small: small ?? { p50Ms: Number.NaN, p99Ms: Number.NaN },
      large: large ?? { p50Ms: Number.NaN, p99Ms: Number.NaN },
    };
  });
  return { smallItems, largeItems, target: scaleTarget, rows, load: loadavg() };
}

try {
  if (env.BENCH_BUILD !== 'false') {
    log('npm run build');
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const databaseUrl = join(folder, 'bench.db');
  const seeded =
    only?.join() === 'scale' || only?.join() === 'stall'
      ? undefined
      : await seed(databaseUrl, { stores: 100, items: settings.items, tags: 1000 }, secrets.JWT_SECRET);
  if (seeded) log(`seeded 100 stores, ${settings.items} items, 1000 tags in ${databaseUrl}`);
  if (only?.join() === 'stall') {
    // `BENCH_ONLY=stall`: the stall check (scripts/bench/stall.ts) on BENCH_SCALE_ITEMS items, or on an already
    // seeded file given as BENCH_STALL_DB.
    const file = env.BENCH_STALL_DB ?? join(folder, 'stall.db');
    if (!env.BENCH_STALL_DB)
      await seed(file, { stores: 100, items: settings.scaleItems, tags: 1000 }, secrets.JWT_SECRET);
    const server = await start('stores-api', file, `/stores/${idsOf(file).storeIds[0]}`, false);
    const seconds = knob('BENCH_STALL_SECONDS', 5);
    const options = { seconds, rounds: knob('BENCH_STALL_ROUNDS', 3), tries: knob('BENCH_STALL_TRIES', 3) };
    const result = await stall({ server, file, cursorSecret: secrets.CURSOR_SECRET, log, ...options });
    console.log(`\n${stallMarkdown(result)}`);
    if (output) writeStallReport(resolve(root, output), result);
  } else if (only?.join() === 'scale') {
    // `BENCH_ONLY=scale`: the scale check alone, written beside the full results.
    const scaled = await scale();
    console.log(`\n${scaleMarkdown(scaled)}`);
    if (output) writeScaleReport(resolve(root, output), scaled);
  } else {
    const report: Report = await compare(seeded as Seeded, databaseUrl);
    const scaled = settings.scaleItems > 0 ? await scale() : undefined;
    if (scaled) report.scale = scaled;
    console.log(`\n${markdown(report)}`);
    if (output) {
      writeReport(resolve(root, output), report);
      log(`wrote ${output}/results.json and ${output}/results.md`);
    }
  }
} finally {
  for (const server of [...started]) await stopServer(server);
  await rm(folder, { recursive: true, force: true });
}
