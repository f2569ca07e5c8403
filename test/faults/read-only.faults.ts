import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { apiPort, call, isProperUnavailable, waitFor } from './support.js';

// A SQLite file the server may only read (mode 444, the server running as an unprivileged user: root ignores
// file modes). It starts, serves reads, and says why it cannot take writes: /readyz 503 naming the cause, every
// write 503 with Retry-After, never a 500. (Before: /readyz 200 while every write was a 500.)

const root = new URL('../../', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'stores-api-faults-read-only-'));
const database = join(folder, 'stores.db');
let child: ChildProcess | undefined;
afterAll(() => {
  if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

describe('a read-only SQLite database', () => {
  it('serves reads; writes and /readyz are 503 saying the database is read-only', async () => {
    const db = createDatabase(database);
    await migrateToLatest(db);
    await db.destroy();
    const nobody = 65534;
    // The folder stays writable (SQLite keeps its -wal and -shm there); only the database file is read-only.
    chmodSync(folder, 0o777);
    chownSync(database, nobody, nobody);
    chmodSync(database, 0o444);

    const port = apiPort();
    const base = `http://127.0.0.1:${port}`;
    let output = '';
    child = spawn(
      'runuser',
      [
        '-u',
        'nobody',
        '--',
        'env',
        `PORT=${port}`,
        'HOST=127.0.0.1',
        `DATABASE_URL=${database}`,
        'SEED_DEMO_DATA=false',
        'RESPONSE_VALIDATION=strict',
        join(root, 'node_modules/.bin/tsx'),
        'src/server.ts',
      ],
      { cwd: root, detached: true, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
    );
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const settled = await waitFor(async () => {
      const ready = await call(base, 'GET', '/readyz');
      return ready.status !== 0 && !String(ready.body.detail ?? '').includes('starting');
    }, 60_000);
    expect(settled, output).toBeGreaterThanOrEqual(0);

    const ready = await call(base, 'GET', '/readyz');
    const write = await call(base, 'POST', '/users', {
      body: { email: 'ro@example.com', password: 'read-only password' },
    });
    const read = await call(base, 'GET', '/stores');
    console.log(
      'faults figures: read-only SQLite file',
      JSON.stringify({ readyz: ready.status, reason: ready.body.detail, write: write.status, read: read.status }),
    );
    expect(isProperUnavailable(ready)).toBe(true);
    expect(String(ready.body.detail)).toMatch(/read-only/);
    expect(isProperUnavailable(write)).toBe(true);
    expect(read.status).toBe(200);
    expect(child.exitCode).toBeNull();
  }, 90_000);
});
