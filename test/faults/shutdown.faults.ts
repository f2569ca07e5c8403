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
    const req = request(`${base}${path}`, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection }));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, connection: undefined, error: error.code ?? error.message }),
    );
    req.end();
  });
}

describe('shutdown with keep-alive clients', () => {
  it('no client meets a reset; the last answer on each connection says Connection: close', async () => {
    server = await startServer({ PORT: apiPort(), SHUTDOWN_DELAY: '1000', ...noShedding });
    const base = server.base;
    const clients = 12;
    const running = Array.from({ length: clients }, async (_, c) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const seen: Outcome[] = [];
      // Busy clients ask every 20 ms, idle ones every 400 ms; all until the listener refuses them.
      const pause = c % 2 ? 20 : 400;
      for (;;) {
        const outcome = await get(base, agent, '/healthz');
        seen.push(outcome);
        if (outcome.status === 0) break;
        await sleep(pause);
      }
      agent.destroy();
      return seen;
    });
    await sleep(500);
    const exited = new Promise((resolve) => server?.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    const seen = await Promise.all(running);
    await exited;
    const errors = seen.flatMap((s) => s.filter((o) => o.error).map((o) => o.error));
    const lastAnswers = seen.map((s) => s.filter((o) => o.status > 0).at(-1));
    console.log(
      'faults figures: shutdown with keep-alive clients',
      JSON.stringify({
        clients,
        answers: seen.flat().filter((o) => o.status > 0).length,
        errors: Object.fromEntries([...new Set(errors)].map((e) => [e, errors.filter((x) => x === e).length])),
      }),
    );
    expect(errors.every((e) => e === 'ECONNREFUSED')).toBe(true);
    expect(lastAnswers.every((o) => o?.status === 200 && o.connection === 'close')).toBe(true);
    expect(server.child.exitCode).toBe(0);
  }, 60_000);
});
