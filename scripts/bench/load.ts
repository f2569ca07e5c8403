// One measurement: autocannon drives one scenario against one server for a fixed time. Latencies are taken from
// each response (autocannon's own histogram rounds to whole milliseconds), and the server's resident memory is
// sampled from /proc while the load runs.
import autocannon from 'autocannon';
import type { Scenario } from './scenarios.js';
import { cpuMs, memoryMiB, type Server } from './servers.js';

export interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The most resident memory seen during the run, in MiB. */
  peakRssMiB: number | undefined;
  /** The server's CPU time per request, in µs: steadier than requests per second on a shared machine. */
  cpuUsPerRequest: number | undefined;
}

export async function measure(
  server: Server,
  scenario: Scenario,
  options: { seconds: number; connections: number },
): Promise<Measurement> {
  const latencies: number[] = [];
  const unexpected = new Map<number, number>();
  let peakRss: number | undefined;
  const sampler = setInterval(() => {
    const rss = memoryMiB(server.child.pid, 'VmRSS');
    if (rss !== undefined) peakRss = Math.max(peakRss ?? 0, rss);
  }, 100);
  const cpuBefore = cpuMs(server.child.pid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${server.port}`,
        connections: options.connections,
        duration: options.seconds,
        requests: [{ setupRequest: (request) => ({ ...request, ...scenario.next() }) }],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (status !== scenario.status) unexpected.set(status, (unexpected.get(status) ?? 0) + 1);
    });
  });
  clearInterval(sampler);
  const cpuAfter = cpuMs(server.child.pid);
  if (unexpected.size > 0 || result.errors > 0 || result.timeouts > 0) {
    const statuses = [...unexpected].map(([status, count]) => `${count} × ${status}`).join(', ');
    throw new Error(
      `${server.name} ${scenario.name}: expected only ${scenario.status}; got ${statuses || 'none unexpected'}, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    peakRssMiB: peakRss,
    cpuUsPerRequest:
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : ((cpuAfter - cpuBefore) * 1000) / result.requests.total,
  };
}
