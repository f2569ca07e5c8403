import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../helpers/server-process.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// The slow-body defence (src/http/timeouts.ts) watches only a body still arriving after the headers' packet: a
// watch around every body cost about 10 % of createItem's CPU. slow-clients.test.ts proves the cut from outside;
// this proves that a whole body costs no watch, and a partial one gets one, on a real socket in this process.

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await createTestApp({ BODY_TIMEOUT: '800' });
  port = await freePort();
  await t.app.listen({ host: '127.0.0.1', port });
});
afterAll(async () => {
  await t.close();
});

const head = (length: number) =>
  `POST /stores HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;

/** Sends `parts` in separate writes, 50 ms apart, and resolves with the status line once the server closes. */
function send(parts: string[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
    socket.on('connect', async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  });
}

describe('the body watch', () => {
  it('is not set up for a body that came with its headers, and is for one that came later', async () => {
    const body = JSON.stringify({ name: 'whole' });
    const intervals = vi.spyOn(globalThis, 'setInterval');
    try {
      expect(await send([head(body.length) + body])).toMatch(/^HTTP\/1\.1 401 /);
      expect(intervals).not.toHaveBeenCalled();
      expect(await send([head(body.length), body])).toMatch(/^HTTP\/1\.1 401 /);
      expect(intervals).toHaveBeenCalledTimes(1);
    } finally {
      intervals.mockRestore();
    }
  });
});
