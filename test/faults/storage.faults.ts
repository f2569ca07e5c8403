import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noShedding, type ServerProcess, startServer } from '../helpers/server-process.js';
import { type Answer, apiPort, call, isProperUnavailable, signUp, sleep, tally, waitFor } from './support.js';

// The disk under a SQLite database fills up, and the file is removed or replaced under a running server. Writes
// must answer 503 with Retry-After (never 500) and /readyz must say why, until the disk has room again, when
// writes resume by themselves with every acknowledged write kept. Needs root, for a small tmpfs of its own.

const folder = mkdtempSync(join(tmpdir(), 'stores-api-faults-disk-'));
const database = join(folder, 'stores.db');
let server: ServerProcess;
let token: string;
let storeId: string;
beforeAll(async () => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', folder]);
  server = await startServer({
    DATABASE_URL: database,
    PORT: apiPort(),
    SEED_DEMO_DATA: 'false',
    SHUTDOWN_DELAY: '0',
    ...noShedding,
  });
  token = await signUp(server.base, 'disk@example.com');
  storeId = String((await call(server.base, 'POST', '/stores', { token, body: { name: 'Disk' } })).body.id);
}, 120_000);
afterAll(async () => {
  await server?.stop('SIGTERM');
  execFileSync('umount', ['-l', folder]);
  rmSync(folder, { recursive: true, force: true });
});

const createItem = (name: string) =>
  call(server.base, 'POST', '/items', { token, body: { storeId, name, price: 1, description: 'd'.repeat(500) } });

/** Fills the file system at `folder` with one file until it refuses more; returns its path. */
function fillDisk(): string {
  const filler = join(folder, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return filler;
}

describe('storage faults under a SQLite database', () => {
  it('disk full: writes 503 with Retry-After, /readyz 503; writes resume once space returns; nothing lost', async () => {
    const acknowledged: string[] = [];
    const during: Answer[] = [];
    for (let i = 0; i < 20; i++) {
      const answer = await createItem(`before ${i}`);
      expect(answer.status).toBe(201);
      acknowledged.push(`before ${i}`);
    }
    const filler = fillDisk();
    for (let i = 0; i < 30; i++) {
      const answer = await createItem(`full ${i}`);
      during.push(answer);
      if (answer.status === 201) acknowledged.push(`full ${i}`);
    }
    const readyWhileFull = await call(server.base, 'GET', '/readyz');
    unlinkSync(filler);
    const recoveredMs = await waitFor(async () => (await createItem('probe after')).status === 201, 10_000);
    acknowledged.push('probe after');
    for (let i = 0; i < 20; i++) {
      const answer = await createItem(`after ${i}`);
      expect(answer.status).toBe(201);
      acknowledged.push(`after ${i}`);
    }
    const readyAfter = await call(server.base, 'GET', '/readyz');
    console.log(
      'faults figures: disk full',
      JSON.stringify({
        whileFull: tally(during.map((a) => a.status)),
        readyz: readyWhileFull.status,
        reason: readyWhileFull.body.detail,
        recoveredMs: Math.round(recoveredMs),
      }),
    );
    expect(during.filter((a) => a.status !== 201).every(isProperUnavailable)).toBe(true);
    expect(during.some((a) => a.status === 503)).toBe(true);
    expect(isProperUnavailable(readyWhileFull)).toBe(true);
    expect(String(readyWhileFull.body.detail)).toMatch(/full/);
    expect(recoveredMs).toBeGreaterThanOrEqual(0);
    expect(readyAfter.status).toBe(200);

    const sqlite = new SQLite(database, { readonly: true });
    try {
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const names = new Set(sqlite.prepare('select name from items').pluck().all() as string[]);
      expect(acknowledged.filter((name) => !names.has(name))).toEqual([]);
    } finally {
      sqlite.close();
    }
  }, 60_000);

  it('the file removed, or replaced, under the running server: /readyz 503 saying so; back when it is back', async () => {
    const moved = `${database}.moved`;
    renameSync(database, moved);
    const removed = await call(server.base, 'GET', '/readyz');
    renameSync(moved, database);
    const back = await call(server.base, 'GET', '/readyz');
    // A restore by copying another file over the path: a new inode at DATABASE_URL.
    copyFileSync(database, `${database}.copy`);
    renameSync(`${database}.copy`, database);
    const replaced = await call(server.base, 'GET', '/readyz');
    console.log(
      'faults figures: file removed or replaced',
      JSON.stringify({ removed: removed.body.detail, replaced: replaced.body.detail }),
    );
    expect(isProperUnavailable(removed)).toBe(true);
    expect(String(removed.body.detail)).toMatch(/removed/);
    expect(back.status).toBe(200);
    expect(isProperUnavailable(replaced)).toBe(true);
    expect(String(replaced.body.detail)).toMatch(/replaced/);
    await sleep(0);
  }, 30_000);
});
