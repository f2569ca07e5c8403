import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's metrics, in one registry served by the metrics listener (metrics-server.ts). Labels are bounded:
 * an operationId of openapi.yaml (or `other`/`unmatched`), a method, a status class, a statement kind, never a
 * URL, an id or anything a client chooses.
 */
export const registry = new Registry();

// Process metrics (CPU, memory, heap, handles, GC) and the event-loop delay (`nodejs_eventloop_lag_*`, the
// percentiles of perf_hooks' monitorEventLoopDelay) that load shedding reacts to.
collectDefaultMetrics({ register: registry });
// Three of them are gauges named like counters (`…_total`), which `promtool check metrics` rejects; each is the
// sum of its per-type gauge, which stays (`nodejs_active_handles{type}`, and so on).
for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
  registry.removeSingleMetric(name);
}

const seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const requestLabels = ['operation_id', 'method', 'status_class'] as const;

export const requestsTotal = new Counter({
  name: 'stores_api_requests_total',
  help: 'Requests answered, by operationId, method and status class (2xx, 3xx, 4xx, 5xx).',
  labelNames: requestLabels,
  registers: [registry],
});

export const requestErrorsTotal = new Counter({
  name: 'stores_api_request_errors_total',
  help: 'Requests answered with a 5xx status, by operationId, method and status class.',
  labelNames: requestLabels,
  registers: [registry],
});

export const requestDuration = new Histogram({
  name: 'stores_api_request_duration_seconds',
  help: 'Time from receiving a request to sending its answer, by operationId, method and status class.',
  labelNames: requestLabels,
  buckets: seconds,
  registers: [registry],
});

export const rateLimitedTotal = new Counter({
  name: 'stores_api_rate_limited_total',
  help: 'Requests refused with 429 by a rate limit (per client or per account), by operationId.',
  labelNames: ['operation_id'] as const,
  registers: [registry],
});

export const shedTotal = new Counter({
  name: 'stores_api_load_shed_total',
  help: 'Requests refused with 503 before any work: overload (eventLoopDelay, eventLoopUtilization, ...), starting or shutting down.',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const dbStatementDuration = new Histogram({
  name: 'stores_api_db_statement_duration_seconds',
  help: 'Time each database statement took, by database system, statement kind (select, insert, begin, ...) and outcome.',
  labelNames: ['system', 'statement', 'outcome'] as const,
  buckets: seconds,
  registers: [registry],
});

/** What the gauge reads of a `pg` pool. */
export interface WatchedPool {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly ended: boolean;
}

let pools: WatchedPool[] = [];

/** Reports a PostgreSQL pool in `stores_api_db_pool_connections` until it ends. */
export function watchPool(pool: WatchedPool): void {
  pools = [...pools.filter((p) => !p.ended), pool];
}

/** The PostgreSQL pool, read at each scrape: connections open, idle, and requests waiting for one. */
new Gauge({
  name: 'stores_api_db_pool_connections',
  help: 'PostgreSQL pool connections by state: total (open), idle, and waiting (queued requests for a connection).',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    pools = pools.filter((p) => !p.ended);
    const sum = (read: (p: WatchedPool) => number) => pools.reduce((total, p) => total + read(p), 0);
    this.set(
      { state: 'total' },
      sum((p) => p.totalCount),
    );
    this.set(
      { state: 'idle' },
      sum((p) => p.idleCount),
    );
    this.set(
      { state: 'waiting' },
      sum((p) => p.waitingCount),
    );
  },
});

let recording = true;

/** Whether requests and statements are counted: until `stopRecording`, which a process without a metrics listener calls. */
export function recordingMetrics(): boolean {
  return recording;
}

/** Stops counting requests and statements: nobody can read them (METRICS_PORT=off), so they would cost for nothing. */
export function stopRecording(): void {
  recording = false;
}

/** The status class label of an HTTP status: `2xx`, `4xx`, ... */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
