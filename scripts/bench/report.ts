// The benchmark's results as JSON (every figure) and as the Markdown table the README quotes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Measurement } from './load.js';
import { rssTargetMiB, startupTargetMs, tailTarget } from './targets.js';

export interface ScenarioResult {
  name: string;
  /** The least `ratio` and `cpuRatio` may be. */
  target: number;
  api: Measurement;
  /** The same-contract baseline. */
  baseline: Measurement;
  /** The same routes bare, without the contract. */
  floor: Measurement;
  /** API ÷ baseline requests per second: the median of the ratios of the two servers' rounds, round by round. */
  ratio: number;
  /** Baseline ÷ API CPU per request, the same way: above 1 the API uses less. */
  cpuRatio: number;
  /** Both ratios round by round: their spread is the run's noise. */
  rounds: { ratio: number[]; cpuRatio: number[] };
  /** The API at the default production log level (info), against `warn` in the same rounds: the median, and each. */
  logLevel?: { info: Measurement; cost: number; target: number; rounds: number[] };
}

export interface Scale {
  smallItems: number;
  largeItems: number;
  /** The most the large catalogue's p50 or p99 may be, as a multiple of the small one's. */
  target: number;
  rows: { name: string; small: Latency; large: Latency }[];
  /** The machine's load average (1, 5, 15 minutes) when the check ended. */
  load: number[];
}

interface Latency {
  p50Ms: number;
  p99Ms: number;
}

export interface Report {
  date: string;
  /** The machine's load average (1, 5, 15 minutes) when the comparison ended. */
  load: number[];
  /** Which CPUs the servers and the load generator ran on. */
  placement: string;
  node: string;
  cores: number;
  cpu: string;
  settings: Record<string, number | string>;
  scenarios: ScenarioResult[];
  startupMs: { runs: number[]; median: number; cpuMedian: number | undefined };
  peakRssMiB: { api: number | undefined; baseline: number | undefined };
  scale?: Scale;
}

const fixed = (value: number | undefined, digits = 0) => (value === undefined ? 'n/a' : value.toFixed(digits));

const met = (ok: boolean) => (ok ? 'met' : '**not met**');
const spread = (values: number[]) =>
  values.length === 0 ? 'n/a' : `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

export function markdown(report: Report): string {
  const { settings } = report;
  const tails = report.scenarios.map((s) => ({ name: s.name, ok: s.api.p99Ms <= tailTarget * s.api.p50Ms }));
  const rssOk = report.peakRssMiB.api !== undefined && report.peakRssMiB.api < rssTargetMiB;
  const logged = report.scenarios.find((s) => s.logLevel);
  const lines = [
    `${report.date.slice(0, 10)}, ${report.cores} cores (${report.cpu}), Node ${report.node}; ` +
      `${settings.items} items; ${settings.rounds} rounds of ${settings.seconds} s per scenario and server, each ` +
      `round starting with the next server, ${settings.connections} connections, load generator on the same ` +
      `machine (${report.placement}); load average ${report.load.map((l) => l.toFixed(1)).join(', ')} at the end.`,
    '',
    'Ratios are against the same-contract baseline, above 1 in favour of stores-api: its requests per second over ' +
      "the baseline's, and the baseline's CPU per request over its own, each taken between the two servers' runs " +
      'of the same round; a ratio is the median of its rounds, and the range after it is that ratio round by round ' +
      "(the noise). The CPU and req/s columns are each server's median round.",
    '',
    '| scenario | CPU µs/request: stores-api / baseline / floor | CPU ratio (rounds) | req/s: stores-api / baseline / floor | req/s ratio (rounds) | target | stores-api p50 / p99 ms | p99 ≤ 4 × p50 |',
    '|---|---|---|---|---|---|---|---|',
    ...report.scenarios.map((s, i) => {
      const cpuMet = s.cpuRatio >= s.target;
      const requestsMet = s.ratio >= s.target;
      return (
        `| ${s.name} | ${fixed(s.api.cpuUsPerRequest)} / ${fixed(s.baseline.cpuUsPerRequest)} / ${fixed(s.floor.cpuUsPerRequest)} | ` +
        `${s.cpuRatio.toFixed(2)} (${spread(s.rounds.cpuRatio)}) ${met(cpuMet)} | ` +
        `${fixed(s.api.requestsPerSecond)} / ${fixed(s.baseline.requestsPerSecond)} / ${fixed(s.floor.requestsPerSecond)} | ` +
        `${s.ratio.toFixed(2)} (${spread(s.rounds.ratio)}) ${met(requestsMet)} | ≥ ${s.target.toFixed(2)} | ` +
        `${fixed(s.api.p50Ms, 2)} / ${fixed(s.api.p99Ms, 2)} | ${met(tails[i]?.ok ?? false)} |`
      );
    }),
    '',
    `Peak RSS over the whole run (VmHWM): stores-api ${fixed(report.peakRssMiB.api)} MiB (target < ${rssTargetMiB}: ` +
      `${met(rssOk)}), baseline ${fixed(report.peakRssMiB.baseline)} MiB.`,
  ];
  if (logged?.logLevel) {
    const { info, cost, target, rounds } = logged.logLevel;
    lines.push(
      '',
      `The default production log level: ${logged.name} with stores-api at \`LOG_LEVEL=info\` (its log read from a ` +
        `pipe) took ${fixed(info.cpuUsPerRequest)} µs of CPU per request and ${fixed(info.requestsPerSecond)} req/s, ` +
        `against ${fixed(logged.api.cpuUsPerRequest)} µs and ${fixed(logged.api.requestsPerSecond)} req/s at \`warn\`: ` +
        `${cost >= 0 ? '+' : ''}${(cost * 100).toFixed(0)} % CPU per request (target at most ${(target * 100).toFixed(0)} %: ${met(cost <= target)})` +
        (rounds.length > 0
          ? `; the cost is the median of ${rounds.length} rounds, each against \`warn\` in the same round: ${rounds.map((r) => `${(r * 100).toFixed(0)} %`).join(', ')}.`
          : '.'),
    );
  }
  lines.push(
    '',
    `Start-up to the first answer of a getStore (\`npm run start:prod\`'s \`node\` command, production settings, ${report.startupMs.runs.length} starts): ` +
      `median ${fixed(report.startupMs.median)} ms (target < ${startupTargetMs}: ${met(report.startupMs.median < startupTargetMs)}), ` +
      `of which the process used ${fixed(report.startupMs.cpuMedian)} ms of CPU.`,
  );
  if (report.scale) lines.push('', scaleMarkdown(report.scale));
  return `${lines.join('\n')}\n`;
}

/** The scale table: each scenario's p50 and p99 on both catalogues and the ratios against the target. */
export function scaleMarkdown(scale: Scale): string {
  const ratio = (large: number, small: number) => `${(large / small).toFixed(2)}×`;
  const within = (row: Scale['rows'][0]) =>
    Math.max(row.large.p50Ms / row.small.p50Ms, row.large.p99Ms / row.small.p99Ms) <= scale.target ? 'yes' : 'no';
  const small = scale.smallItems.toLocaleString('en');
  const large = scale.largeItems.toLocaleString('en');
  return [
    `Scale check, \`listItems\`, page of 20, one connection (load average ${scale.load.map((l) => l.toFixed(1)).join(', ')} at the end):`,
    '',
    `| scenario | p50 ms, ${small} items | p50 ms, ${large} | p50 ratio | p99 ms, ${small} | p99 ms, ${large} | p99 ratio | within ${scale.target}× |`,
    '|---|---|---|---|---|---|---|---|',
    ...scale.rows.map(
      (r) =>
        `| ${r.name} | ${fixed(r.small.p50Ms, 2)} | ${fixed(r.large.p50Ms, 2)} | ${ratio(r.large.p50Ms, r.small.p50Ms)} | ` +
        `${fixed(r.small.p99Ms, 2)} | ${fixed(r.large.p99Ms, 2)} | ${ratio(r.large.p99Ms, r.small.p99Ms)} | ${within(r)} |`,
    ),
  ].join('\n');
}

export function writeScaleReport(folder: string, scale: Scale): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'scale.json'), `${JSON.stringify(scale, null, 2)}\n`);
  writeFileSync(join(folder, 'scale.md'), `${scaleMarkdown(scale)}\n`);
}

export function writeReport(folder: string, report: Report): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(folder, 'results.md'), markdown(report));
}
