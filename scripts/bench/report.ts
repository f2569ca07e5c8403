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

export interface Report {
  date: string;
  node: string;
  cores: number;
  cpu: string;
  settings: Record<string, number | string>;
  scenarios: ScenarioResult[];
  startupMs: { runs: number[]; median: number; cpuMedian: number | undefined };
  peakRssMiB: { api: number | undefined; baseline: number | undefined };
  scale?: { smallItems: number; largeItems: number; smallP50Ms: number; largeP50Ms: number; ratio: number };
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
  if (report.scale) {
    const s = report.scale;
    lines.push(
      '',
      `Scale, \`listItems\` (storeId filter, page of 20, one connection): p50 ${fixed(s.smallP50Ms, 3)} ms on ` +
        `${s.smallItems.toLocaleString('en')} items, ${fixed(s.largeP50Ms, 3)} ms on ${s.largeItems.toLocaleString('en')}: ` +
        `${s.ratio.toFixed(2)}× (target ≤ 1.5×).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function writeReport(folder: string, report: Report): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(folder, 'results.md'), markdown(report));
}
