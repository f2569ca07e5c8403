import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noShedding, type ServerProcess, startServer } from '../helpers/server-process.js';

// Attack: requestTimeout and connectionTimeout were 0, so 1,000 anonymous connections that sent headers and then
// nothing all stayed open, and a dribbled body was held for ever (and held up shutdown). Here against the real
// process, on real sockets, with short limits so that the suite stays quick.

const limits = { HEADERS_TIMEOUT: '600', BODY_TIMEOUT: '600', REQUEST_TIMEOUT: '2000', KEEP_ALIVE_TIMEOUT: '600' };
let server: ServerProcess;
let port: number;

beforeAll(async () => {
  server = await startServer({ ...limits, ...noShedding, LOG_LEVEL: 'warn' });
  port = Number(new URL(server.base).port);
});
afterAll(async () => {
  await server?.stop('SIGKILL');
});

interface Outcome {
  /** Everything the server sent before it closed the connection. */
  text: string;
  /** Milliseconds from the first write until the server closed the connection. */
  closedAfter: number;
}

/** Opens a socket, sends `first`, then calls `then` (which may dribble more); resolves when the server closes. */
function exchange(first: string, then: (socket: Socket) => void = () => {}, limitMs = 10_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let started = 0;
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${limitMs} ms; received: ${text}`));
    }, limitMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(guard);
      resolve({ text, closedAfter: performance.now() - started });
    });
    socket.on('connect', () => {
      started = performance.now();
      socket.write(first);
      then(socket);
    });
  });
}

const bodyOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
const postHeaders = (length: number) =>
  `POST /stores HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

describe('slow clients', () => {
  it('answers a body that stops arriving with 408 problem+json and closes the connection', async () => {
    const outcome = await exchange(`${postHeaders(100)}{"email":`);
    expect(outcome.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(outcome.text).toMatch(/content-type: application\/problem\+json/i);
    expect(outcome.text).toMatch(/connection: close/i);
    expect(bodyOf(outcome.text)).toMatchObject({ status: 408, type: '/problems/request-timeout' });
    expect(outcome.closedAfter).toBeGreaterThanOrEqual(500);
    expect(outcome.closedAfter).toBeLessThan(2000);
  });

  it('answers a body that stops arriving on a path that names no operation the same way', async () => {
    const headers = postHeaders(100).replace('POST /stores ', 'POST /no-such-thing ');
    const outcome = await exchange(`${headers}{"name":`);
    expect(outcome.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(outcome.text).toMatch(/connection: close/i);
    expect(outcome.closedAfter).toBeLessThan(2000);
  });

  it('answers a chunked body that stops arriving the same way', async () => {
    const outcome = await exchange(
      `POST /stores HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
        'Transfer-Encoding: chunked\r\n\r\n9\r\n{"email":\r\n',
    );
    expect(outcome.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(outcome.text).toMatch(/connection: close/i);
    expect(bodyOf(outcome.text)).toMatchObject({ status: 408, type: '/problems/request-timeout' });
    expect(outcome.closedAfter).toBeLessThan(2000);
  });

  it('answers a gzip body that stops arriving the same way: the decompression in front does not hide the stall', async () => {
    const zipped = gzipSync(JSON.stringify({ name: 'a store that never finishes arriving' }));
    const half = zipped.subarray(0, Math.floor(zipped.length / 2));
    const outcome = await exchange(
      `POST /stores HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
        `Content-Encoding: gzip\r\nContent-Length: ${zipped.length}\r\n\r\n`,
      (socket) => socket.write(half),
    );
    expect(outcome.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(outcome.text).toMatch(/connection: close/i);
    expect(bodyOf(outcome.text)).toMatchObject({ status: 408, type: '/problems/request-timeout' });
    expect(outcome.closedAfter).toBeLessThan(2000);
  });

  it('cuts a body dribbled a byte at a time at the whole-request limit', async () => {
    let timer: NodeJS.Timeout | undefined;
    const outcome = await exchange(postHeaders(1000), (socket) => {
      timer = setInterval(() => socket.writable && socket.write(' '), 200);
    });
    clearInterval(timer);
    expect(outcome.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(outcome.text)).toMatchObject({ status: 408 });
    expect(outcome.closedAfter).toBeGreaterThanOrEqual(1900);
    expect(outcome.closedAfter).toBeLessThan(4000);
  });

  it('answers headers that never finish with 408 problem+json and closes', async () => {
    const outcome = await exchange(`GET /stores HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);
    expect(outcome.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(outcome.text)).toMatchObject({ status: 408, type: '/problems/request-timeout' });
    expect(outcome.closedAfter).toBeLessThan(2500);
  });

  it('closes an idle keep-alive connection after KEEP_ALIVE_TIMEOUT', async () => {
    const outcome = await exchange(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(outcome.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(outcome.closedAfter).toBeGreaterThanOrEqual(500);
    expect(outcome.closedAfter).toBeLessThan(2500);
  });

  it('frees 200 connections that send headers and then nothing', async () => {
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => exchange(`${postHeaders(50)}{`)));
    const took = performance.now() - started;
    console.log('slow-client figures', JSON.stringify({ connections: 200, allClosedAfterMs: Math.round(took) }));
    const other = outcomes.find((o) => !/^HTTP\/1\.1 408 /.test(o.text));
    expect(other?.text).toBeUndefined();
    expect(took).toBeLessThan(5000);
    // The server still answers at once.
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
  });
});

describe('shutdown', () => {
  it('is not held by a body that stopped arriving: the client gets 408 and the process exits 0', async () => {
    const stalled = await startServer({ ...limits, ...noShedding, BODY_TIMEOUT: '1000', SHUTDOWN_TIMEOUT: '20000' });
    const stalledPort = Number(new URL(stalled.base).port);
    const answer = new Promise<string>((resolve) => {
      const socket = connect(stalledPort, '127.0.0.1', () => {
        socket.write(
          `POST /stores HTTP/1.1\r\nHost: 127.0.0.1:${stalledPort}\r\nContent-Type: application/json\r\nContent-Length: 80\r\n\r\n{`,
        );
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(text));
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signalled = performance.now();
    const code = await stalled.stop('SIGTERM');
    const took = performance.now() - signalled;
    console.log(
      'shutdown with a stalled body',
      JSON.stringify({ bodyTimeoutMs: 1000, exitedAfterMs: Math.round(took) }),
    );
    expect(code).toBe(0);
    expect(took).toBeLessThan(5000);
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
  }, 60_000);
});
