import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, noShedding, type ServerProcess, startServer } from '../helpers/server-process.js';

// The demo catalogue's store (the server runs in development, which loads it).
const storeId = '01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f';
const missingId = '01936d3e-0000-7000-8000-000000000000';
const root = new URL('../../', import.meta.url).pathname;

/** Runs Debian's promtool (package `prometheus`, installed by .ci/run) and gives its exit code and output. */
function promtool(args: string[], input?: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { input, cwd: root, encoding: 'utf8' });
  if (run.error) throw new Error(`promtool could not run (Debian package "prometheus"): ${run.error.message}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

let server: ServerProcess;
let metricsUrl: string;
let text: string;

beforeAll(async () => {
  const metricsPort = await freePort();
  server = await startServer({ ...noShedding, METRICS_PORT: String(metricsPort) });
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const first = await fetch(`${server.base}/stores/${storeId}`, {
    headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  });
  expect(first.status).toBe(200);
  // No OTEL_* variables: tracing is off, and nothing is said about traces.
  expect(first.headers.get('traceresponse')).toBeNull();
  expect((await fetch(`${server.base}/stores/${storeId}`)).status).toBe(200);
  expect((await fetch(`${server.base}/stores/${missingId}`)).status).toBe(404);
  expect((await fetch(`${server.base}/no/such/${missingId}`)).status).toBe(404);
  const answer = await fetch(metricsUrl);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  text = await answer.text();
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

/** The value of the sample with exactly this name and these labels, or undefined. */
function sample(name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('GET /metrics on METRICS_PORT', () => {
  it('passes promtool check metrics', () => {
    const { status, output } = promtool(['check', 'metrics'], text);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('counts requests and times them by operationId, method and status class', () => {
    const ok = 'operation_id="getStore",method="GET",status_class="2xx"';
    const requests = 'stores_api_request_duration_seconds_count';
    expect(sample(requests, ok)).toBe(2);
    expect(sample(requests, 'operation_id="getStore",method="GET",status_class="4xx"')).toBe(1);
    expect(sample(requests, 'operation_id="unmatched",method="GET",status_class="4xx"')).toBe(1);
    expect(sample('stores_api_request_duration_seconds_bucket', `le="+Inf",${ok}`)).toBe(2);
    expect(sample('stores_api_request_duration_seconds_sum', ok)).toBeGreaterThan(0);
  });

  it('never labels by URL or id, so cardinality stays bounded', () => {
    expect(text).not.toContain(storeId);
    expect(text).not.toContain(missingId);
    expect(text).not.toContain('/stores');
  });

  it('reports database statement timings, the event-loop delay and the process', () => {
    const selects = 'system="sqlite",statement="select",outcome="ok"';
    expect(sample('stores_api_db_statements_total', selects)).toBeGreaterThan(0);
    expect(sample('stores_api_db_statement_seconds_total', selects)).toBeGreaterThan(0);
    for (const name of [
      'nodejs_eventloop_lag_p99_seconds',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    }
    for (const name of [
      'stores_api_load_shed_total',
      'stores_api_rate_limited_total',
      'stores_api_request_errors_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} counter`);
    }
  });

  it('is served on its own port only: the API has no /metrics, and the metrics port nothing else', async () => {
    expect((await fetch(`${server.base}/metrics`)).status).toBe(404);
    expect((await fetch(metricsUrl.replace('/metrics', '/stores'))).status).toBe(404);
  });
});

describe('the sample Prometheus configuration in deploy/prometheus/', () => {
  it('passes promtool check rules and check config', () => {
    const rules = promtool(['check', 'rules', 'deploy/prometheus/stores-api-rules.yml']);
    expect(rules.output).toContain('SUCCESS: 6 rules found');
    expect(rules.status).toBe(0);
    const config = promtool(['check', 'config', 'deploy/prometheus/prometheus.yml']);
    expect(config.status, config.output).toBe(0);
  });

  it('uses only metric names and labels the API serves', () => {
    const served = new Set(
      [...text.matchAll(/^# TYPE (\w+) (\w+)/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [name as string, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name as string],
      ),
    );
    const rules = readFileSync(join(root, 'deploy/prometheus/stores-api-rules.yml'), 'utf8');
    const used = [...rules.matchAll(/\b(stores_api_\w+|nodejs_\w+)\b/g)].map((m) => m[1] as string);
    expect(used.length).toBeGreaterThan(3);
    for (const name of used) expect(served, name).toContain(name);
  });
});
