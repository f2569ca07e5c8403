// The benchmark's results as JSON (every figure) and as the Markdown table the README quotes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Measurement } from './load.js';

export interface ScenarioResult {
  name: string;
  target: number;
  api: Measurement;
  baseline: Measurement;
  /** API ÷ baseline requests per second, each the median of its rounds. */
  ratio: number;
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

export function markdown(report: Report): string {
  const { settings } = report;
  const lines = [
    `${report.date.slice(0, 10)}, ${report.cores} cores (${report.cpu}), Node ${report.node}; ` +
      `${settings.items} items; ${settings.rounds} alternating rounds of ${settings.seconds} s per scenario and ` +
      `server, ${settings.connections} connections, load generator on the same machine.`,
    '',
    '| scenario | stores-api req/s | baseline req/s | ratio (target) | stores-api p50 / p99 ms | baseline p50 / p99 ms | stores-api peak RSS MiB | baseline peak RSS MiB | CPU µs per request: stores-api / baseline |',
    '|---|---|---|---|---|---|---|---|---|',
    ...report.scenarios.map(
      (s) =>
        `| ${s.name} | ${fixed(s.api.requestsPerSecond)} | ${fixed(s.baseline.requestsPerSecond)} | ` +
        `${s.ratio.toFixed(2)} (≥ ${s.target.toFixed(2)}) | ${fixed(s.api.p50Ms, 2)} / ${fixed(s.api.p99Ms, 2)} | ` +
        `${fixed(s.baseline.p50Ms, 2)} / ${fixed(s.baseline.p99Ms, 2)} | ${fixed(s.api.peakRssMiB)} | ${fixed(s.baseline.peakRssMiB)} | ` +
        `${fixed(s.api.cpuUsPerRequest)} / ${fixed(s.baseline.cpuUsPerRequest)} |`,
    ),
    '',
    `Start-up to the first answer of a getStore (\`npm run start:prod\`'s \`node\` command, production settings, ${report.startupMs.runs.length} starts): ` +
      `median ${fixed(report.startupMs.median)} ms (target < 1000), of which the process used ` +
      `${fixed(report.startupMs.cpuMedian)} ms of CPU. Peak RSS over the whole run (VmHWM): ` +
      `stores-api ${fixed(report.peakRssMiB.api)} MiB (target < 150), baseline ${fixed(report.peakRssMiB.baseline)} MiB.`,
  ];
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
