import { Agent, request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { noShedding, type ServerProcess, startServer } from '../helpers/server-process.js';
import { apiPort, sleep } from './support.js';

// Keep-alive clients through a graceful shutdown: some idle between requests, some busy. None may meet a reset
// (ECONNRESET, a socket hang-up): from SIGTERM on every answer says Connection: close, so each client closes its
// connection after its answer and later finds the listener closed (ECONNREFUSED), a clean refusal.

let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
});

interface Outcome {
  status: number;
  connection: string | undefined;
  error?: string;
}

function get(base: string, agent: Agent, path: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(`${base}${path}`, { agent, timeout: 10_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection }));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, connection: undefined, error: error.code ?? error.message }),
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer in 10 s'), { code: 'TIMEOUT' })));
    req.end();
  });
}

describe('shutdown with keep-alive clients', () => {
  it('no client meets a reset; the last answer on each connection says Connection: close', async () => {
    server = await startServer({ PORT: apiPort(), SHUTDOWN_DELAY: '1000', ...noShedding });
    const base = server.base;
    const clients = 12;
    // Busy clients ask every 20 ms on their keep-alive connection, idle ones every 1.5 s. A client told
    // Connection: close stops, as one behind a load balancer that has taken the instance out would.
    const running = Array.from({ length: clients }, async (_, c) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const busy = c % 2 === 1;
      const seen: Outcome[] = [];
      for (;;) {
        const outcome = await get(base, agent, '/healthz');
        seen.push(outcome);
        if (outcome.status === 0 || outcome.connection === 'close') break;
        await sleep(busy ? 20 : 1_500);
      }
      agent.destroy();
      return { busy, seen };
    });
    await sleep(700);
    const exited = new Promise((resolve) => server?.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    const outcomes = await Promise.all(running);
    await exited;
    const last = outcomes.map(({ busy, seen }) => ({ busy, ...seen.at(-1) }));
    const resets = last.filter((o) => o.error !== undefined && o.error !== 'ECONNREFUSED');
    console.log(
      'faults figures: shutdown with keep-alive clients',
      JSON.stringify({
        clients,
        answers: outcomes.flatMap(({ seen }) => seen).filter((o) => o.status > 0).length,
        busyEndedWith: last.filter((o) => o.busy).map((o) => o.error ?? `${o.status} ${o.connection}`),
        idleEndedWith: last.filter((o) => !o.busy).map((o) => o.error ?? `${o.status} ${o.connection}`),
      }),
    );
    expect(resets, server.output()).toEqual([]);
    // Busy clients were told during the delay, with a 200; idle ones were told, or found the listener closed.
    expect(last.filter((o) => o.busy && !(o.status === 200 && o.connection === 'close'))).toEqual([]);
    expect(last.filter((o) => !o.busy && !(o.status === 200 || o.error === 'ECONNREFUSED'))).toEqual([]);
    expect(server.child.exitCode, server.output()).toBe(0);
  }, 60_000);
});
