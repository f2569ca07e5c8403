import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { AccumulatedHistogram, type HistogramSlot } from './accumulated-histogram.js';

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

export const requestErrorsTotal = new Counter({
  name: 'stores_api_request_errors_total',
  help: 'Requests answered with a 5xx status, by operationId, method and status class.',
  labelNames: requestLabels,
  registers: [registry],
});

/**
 * Its `_count` is the number of requests answered: no separate counter is kept (one observation per request).
 * Observed through `requestSlot`, which finds the label set's slot without building a label object.
 */
export const requestDuration = new AccumulatedHistogram({
  name: 'stores_api_request_duration_seconds',
  help: 'Requests answered and the time from receiving each to sending its answer, by operationId, method and status class.',
  labelNames: requestLabels,
  buckets: seconds,
  registers: [registry],
});

const requestSlots = new Map<string, Map<string, HistogramSlot[]>>();

/** The request histogram's slot for an operation, a method and a status (by its class). */
export function requestSlot(operationId: string, method: string, status: number): HistogramSlot {
  let byMethod = requestSlots.get(operationId);
  if (!byMethod) {
    byMethod = new Map();
    requestSlots.set(operationId, byMethod);
  }
  let byClass = byMethod.get(method);
  if (!byClass) {
    byClass = [];
    byMethod.set(method, byClass);
  }
  const index = Math.floor(status / 100);
  let slot = byClass[index];
  if (!slot) {
    slot = requestDuration.slot({ operation_id: operationId, method, status_class: statusClass(status) });
    byClass[index] = slot;
  }
  return slot;
}

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

/**
 * Database statements: their count and their total time, by database system, statement kind and outcome; the
 * mean time of a kind is the one over the other. Accumulated in plain numbers (a statement adds a count and a
 * duration to an array slot) and handed to prom-client at each scrape: a labelled histogram observation per
 * statement costs about 2 µs, several per request, which the benchmark showed to be too much.
 */
const statementKinds = [
  'select',
  'insert',
  'update',
  'delete',
  'with',
  'begin',
  'commit',
  'rollback',
  'savepoint',
  'other',
];
const systems = ['sqlite', 'postgresql'] as const;
const outcomes = ['ok', 'error'] as const;
const slots = systems.length * statementKinds.length * outcomes.length;
const statementCounts = new Float64Array(slots);
const statementSeconds = new Float64Array(slots);

/** The slot of a statement kind: its index in the bounded list, `other` for anything else. */
export function statementKindIndex(kind: string): number {
  const index = statementKinds.indexOf(kind);
  return index === -1 ? statementKinds.length - 1 : index;
}

export function recordStatement(system: (typeof systems)[number], kind: number, ok: boolean, seconds: number): void {
  const slot = ((system === 'sqlite' ? 0 : 1) * statementKinds.length + kind) * outcomes.length + (ok ? 0 : 1);
  statementCounts[slot] = (statementCounts[slot] ?? 0) + 1;
  statementSeconds[slot] = (statementSeconds[slot] ?? 0) + seconds;
}

/** A counter that reads its values from one of the arrays above at each scrape (only the slots used). */
function statementCounter(name: string, help: string, values: Float64Array): void {
  const reported = new Float64Array(slots);
  new Counter({
    name,
    help,
    labelNames: ['system', 'statement', 'outcome'] as const,
    registers: [registry],
    collect() {
      for (let slot = 0; slot < slots; slot++) {
        const delta = (values[slot] ?? 0) - (reported[slot] ?? 0);
        if (delta <= 0) continue;
        const outcome = outcomes[slot % outcomes.length] as string;
        const kind = statementKinds[Math.floor(slot / outcomes.length) % statementKinds.length] as string;
        const system = systems[Math.floor(slot / outcomes.length / statementKinds.length)] as string;
        this.inc({ system, statement: kind, outcome }, delta);
        reported[slot] = values[slot] ?? 0;
      }
    },
  });
}

statementCounter(
  'stores_api_db_statements_total',
  'Database statements run, by database system, statement kind (select, insert, begin, ...) and outcome.',
  statementCounts,
);
statementCounter(
  'stores_api_db_statement_seconds_total',
  'Time spent in database statements, by database system, statement kind and outcome.',
  statementSeconds,
);

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
