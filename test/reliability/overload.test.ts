import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../helpers/server-process.js';

// Load the machine cannot serve: 64 connections against one process on loopback, for 5 s. With shedding at a
// low event-loop utilisation, the server answers part of it 503 at once instead of queueing it all.

let server: ServerProcess;
beforeAll(async () => {
  server = await startServer({
    OVERLOAD_MAX_EVENT_LOOP_UTILIZATION: '0.9',
    OVERLOAD_MAX_EVENT_LOOP_DELAY: '0',
    OVERLOAD_RETRY_AFTER: '3',
  });
}, 60_000);
afterAll(async () => {
  expect(await server.stop('SIGTERM')).toBe(0);
});

describe('under more load than it can serve', () => {
  it('sheds part of it with 503 problem+json and Retry-After, keeps latency bounded, and recovers', async () => {
    const result = await autocannon({ url: `${server.base}/stores`, connections: 64, duration: 5, timeout: 10 });
    const shed = result.statusCodeStats?.['503']?.count ?? 0;
    const served = result.statusCodeStats?.['200']?.count ?? 0;
    const figures = {
      requests: result.requests.total,
      served,
      shed,
      other: result.requests.total - served - shed,
      errors: result.errors,
      timeouts: result.timeouts,
      latencyP50: result.latency.p50,
      latencyP99: result.latency.p99,
      latencyMax: result.latency.max,
    };
    console.log('overload figures', JSON.stringify(figures));
    expect(shed).toBeGreaterThan(0);
    expect(served).toBeGreaterThan(0);
    expect(figures.other).toBe(0);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);

    // What one shed answer looks like, taken while the load is still on.
    const response = await sheddingAnswer(server.base);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ type: '/problems/unavailable', status: 503 });

    // Liveness is never shed; once the load is gone, everything is served again within a sample or two.
    for (let i = 0; i < 40; i++) {
      if ((await fetch(`${server.base}/stores`)).status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((await fetch(`${server.base}/stores`)).status).toBe(200);
    expect(server.output()).not.toContain('response breaks the OpenAPI contract');
  }, 60_000);
});

/** Puts the server under load again and returns the first 503 a plain client gets. */
async function sheddingAnswer(base: string): Promise<Response> {
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const load = autocannon({ url: `${base}/stores`, connections: 64, duration: 10 }, () => finished());
  try {
    for (let i = 0; i < 200; i++) {
      const [response, alive] = await Promise.all([fetch(`${base}/stores`), fetch(`${base}/healthz`)]);
      expect(alive.status).toBe(200);
      if (response.status === 503) return response;
      await response.arrayBuffer();
    }
    throw new Error('no request was shed');
  } finally {
    load.stop();
    await done;
  }
}
