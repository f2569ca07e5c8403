import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchedStdout } from '../../src/observability/log-destination.js';
import { startServer } from '../helpers/server-process.js';

const root = new URL('../../', import.meta.url).pathname;
const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A destination writing to a fresh file, and what the file holds so far. */
function fileDestination() {
  const folder = mkdtempSync(join(tmpdir(), 'stores-api-log-'));
  folders.push(folder);
  const path = join(folder, 'out.log');
  const fd = openSync(path, 'w');
  return {
    destination: new BatchedStdout(fd),
    written: () => readFileSync(path, 'utf8'),
    close: () => closeSync(fd),
  };
}

describe('the batched log destination', () => {
  it('gathers lines into one write, within 50 ms', async () => {
    const { destination, written, close } = fileDestination();
    destination.write('{"n":1}\n');
    destination.write('{"n":2,"name":"Café ☕"}\n');
    expect(written()).toBe('');
    await new Promise((r) => setTimeout(r, 120));
    expect(written()).toBe('{"n":1}\n{"n":2,"name":"Café ☕"}\n');
    close();
  });

  it('writes a line at warn or above at once, after the lines before it', () => {
    const { destination, written, close } = fileDestination();
    const log = pino({ base: null, timestamp: false }, destination);
    log.info('first');
    expect(written()).toBe('');
    log.warn('second');
    expect(
      written()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).msg),
    ).toEqual(['first', 'second']);
    // The warn level is not kept for the lines that follow.
    destination.write('{"msg":"third"}\n');
    expect(written()).not.toContain('third');
    destination.flush();
    expect(written()).toContain('third');
    close();
  });

  it('writes whatever it is given whole: more than a batch at once, and a line longer than its buffer', () => {
    const { destination, written, close } = fileDestination();
    const lines = Array.from({ length: 2000 }, (_, i) => `{"i":${i},"pad":"${'x'.repeat(40)}"}\n`);
    for (const line of lines) destination.write(line);
    const long = `{"long":"${'é'.repeat(100_000)}"}\n`;
    destination.write(long);
    destination.flush();
    expect(written()).toBe(lines.join('') + long);
    close();
  });

  for (const [how, ending] of [
    ['exits', 'process.exit(3)'],
    ['throws', 'throw new Error("boom")'],
  ] as const) {
    it(`loses no line when the process ${how} with lines still waiting`, () => {
      const script = [
        `import pino from 'pino';`,
        `import { batchedStdout } from './src/observability/log-destination.ts';`,
        `const log = pino({ base: null }, batchedStdout());`,
        `for (let i = 0; i < 100; i++) log.info({ i }, 'line');`,
        ending,
      ].join('\n');
      const run = spawnSync(join(root, 'node_modules/.bin/tsx'), ['--input-type=module', '-e', script], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(run.status).not.toBe(0);
      const lines = run.stdout.split('\n').filter(Boolean);
      expect(lines.map((line) => JSON.parse(line).i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    });
  }

  it('gives a running server’s access line to a reader within a moment, not only at exit', async () => {
    const server = await startServer({ LOG_LEVEL: 'info' });
    try {
      const answer = await fetch(`${server.base}/stores?limit=1`, { headers: { 'x-request-id': 'batched-line-1' } });
      expect(answer.status).toBe(200);
      let seen = false;
      for (let i = 0; i < 50 && !seen; i++) {
        seen = server.output().includes('"reqId":"batched-line-1"');
        if (!seen) await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen).toBe(true);
      // And from curl with its own defaults (Accept: */*, its own User-Agent): one line for it too.
      const curl = spawnSync(
        'curl',
        [
          '-s',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '-H',
          'X-Request-Id: batched-line-2',
          `${server.base}/stores?limit=1`,
        ],
        {
          encoding: 'utf8',
        },
      );
      expect(curl.stdout).toBe('200');
      for (let i = 0; i < 50 && !server.output().includes('"reqId":"batched-line-2"'); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const lines = server
        .output()
        .split('\n')
        .filter((line) => line.includes('"reqId":"batched-line-2"'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] as string)).toMatchObject({
        msg: 'request',
        operationId: 'listStores',
        statusCode: 200,
      });
    } finally {
      await server.stop();
    }
  });
});
