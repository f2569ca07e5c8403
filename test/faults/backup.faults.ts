import { execFile } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { noShedding, type ServerProcess, scratchDatabase, startServer } from '../helpers/server-process.js';
import { apiPort, call, signUp, sleep } from './support.js';

// npm run db:backup under a write load, then npm run db:restore: refused while the server runs; once it has
// stopped, the backup goes in place (with the old database's WAL left beside it, as a careless `mv` would), and
// the server starts on it with every write acknowledged before the backup began, integrity ok.

const root = new URL('../../', import.meta.url).pathname;
let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  await scratch?.remove();
});

function script(name: string, args: string[], databaseUrl: string) {
  return new Promise<{ code: number; output: string; ms: number }>((resolve) => {
    const started = performance.now();
    execFile(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'scripts', name), ...args],
      { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          output: stdout + stderr,
          ms: performance.now() - started,
        }),
    );
  });
}

describe('backup and restore', () => {
  it('backs up under writes; restore refuses a live server, then restores with every acknowledged row', async () => {
    scratch = await scratchDatabase('faults-backup');
    const database = scratch.database;
    const backup = `${database}.backup`;
    const env = { DATABASE_URL: database, SEED_DEMO_DATA: 'false', SHUTDOWN_DELAY: '0', ...noShedding };
    server = await startServer({ ...env, PORT: apiPort() });
    const base = server.base;
    const token = await signUp(base, 'backup@example.com');
    const storeId = String((await call(base, 'POST', '/stores', { token, body: { name: 'Backed up' } })).body.id);

    const acknowledged: string[] = [];
    let writing = true;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; writing; i++) {
        const name = `writer ${w} item ${i}`;
        const answer = await call(base, 'POST', '/items', { token, body: { storeId, name, price: 1 } });
        if (answer.status === 201) acknowledged.push(name);
      }
    });
    await sleep(1_000);
    const beforeBackup = [...acknowledged];
    const backedUp = await script('db-backup.ts', [backup], database);
    const duringBackup = acknowledged.length - beforeBackup.length;
    // The WAL of the live database, to leave beside the restored file later.
    copyFileSync(`${database}-wal`, `${database}.old-wal`);
    const refused = await script('db-restore.ts', [backup], database);
    await sleep(300);
    writing = false;
    await Promise.all(writers);
    expect(backedUp.code, backedUp.output).toBe(0);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/open in another process/);

    expect(await server.stop('SIGTERM')).toBe(0);
    server = undefined;
    copyFileSync(`${database}.old-wal`, `${database}-wal`);
    const restored = await script('db-restore.ts', [backup], database);
    expect(restored.code, restored.output).toBe(0);
    expect(existsSync(`${database}-wal`)).toBe(false);

    const sqlite = new SQLite(database, { readonly: true });
    let present: Set<string>;
    try {
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      present = new Set(sqlite.prepare('select name from items').pluck().all() as string[]);
    } finally {
      sqlite.close();
    }
    expect(beforeBackup.filter((name) => !present.has(name))).toEqual([]);
    expect([...present].every((name) => acknowledged.includes(name) || name.startsWith('writer '))).toBe(true);

    server = await startServer({ ...env, PORT: apiPort() });
    expect((await call(server.base, 'GET', '/readyz')).status).toBe(200);
    expect(
      (await call(server.base, 'POST', '/items', { token, body: { storeId, name: 'after', price: 1 } })).status,
    ).toBe(201);
    console.log(
      'faults figures: backup and restore',
      JSON.stringify({
        acknowledgedBeforeBackup: beforeBackup.length,
        acknowledgedDuringBackup: duringBackup,
        inBackup: present.size,
        backupMs: Math.round(backedUp.ms),
        restoreMs: Math.round(restored.ms),
      }),
    );
  }, 120_000);
});
