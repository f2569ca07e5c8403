import { execFile } from 'node:child_process';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/database.js';
import { migrateToLatest, migrationNames } from '../../src/db/migrate.js';
import { noShedding, scratchDatabase, startServer } from '../helpers/server-process.js';
import { apiPort, call, query, startPostgres } from './support.js';

// Start-up migrations killed (SIGKILL) after each of their statements in turn, then run again: every kill must
// leave a database the next start-up migrates to the end, as if the killed run had never begun. Each migration
// runs in a transaction on SQLite as on PostgreSQL, so a kill leaves the previous version.

const root = new URL('../../', import.meta.url).pathname;
// Every migration the project has: a run that reached the end recorded them all.
const migrations = migrationNames.length;

interface Run {
  code: number | null;
  signal: string | null;
  output: string;
}

function migrate(databaseUrl: string, killAfter = 0): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(root, 'test/faults/migrate-and-die.ts'), databaseUrl, String(killAfter)],
      { cwd: root },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          signal: error?.signal ?? null,
          output: stdout + stderr,
        }),
    );
  });
}

/** Runs `task` for each item, `width` at a time. */
async function eachLimited<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index] as T);
      }
    }),
  );
  return results;
}

/** The tables of a SQLite database, with their columns: the schema a full migration leaves. */
function tablesOf(database: string | SQLite.Database): string[] {
  const sqlite = typeof database === 'string' ? new SQLite(database, { readonly: true }) : database;
  try {
    return sqlite
      .prepare("select name || ': ' || sql from sqlite_master where type in ('table', 'index') order by name")
      .pluck()
      .all() as string[];
  } finally {
    if (typeof database === 'string') sqlite.close();
  }
}

/**
 * Kills a migration after statement `point`, then migrates again as the next start-up would (in this process, to
 * keep the suite short); `again` is what that run threw, if anything.
 */
async function killAndRestart(point: number, databaseUrl: string) {
  const killed = await migrate(databaseUrl, point);
  const db = createDatabase(databaseUrl);
  let again: string | undefined;
  try {
    await migrateToLatest(db);
  } catch (error) {
    again = String(error);
  } finally {
    await db.destroy();
  }
  return { point, killed: killed.signal === 'SIGKILL', again };
}

describe('a kill at any point of the start-up migrations', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let postgres: Awaited<ReturnType<typeof startPostgres>> | undefined;
  beforeAll(async () => {
    scratch = await scratchDatabase('migration-kill');
  });
  afterAll(async () => {
    await scratch.remove();
    await postgres?.stop();
  });

  // Every other statement on SQLite, every sixth on PostgreSQL, to keep the suite short: the points between are
  // of the same kind (inside one migration's transaction, or Kysely's bookkeeping before it).
  it('SQLite: after a kill at every other statement, the next run migrates to the end', async () => {
    const full = await migrate(`${scratch.database}.full`);
    const statements = Number(JSON.parse(full.output.trim().split('\n').at(-1) ?? '{}').statements);
    expect(statements).toBeGreaterThan(20);
    const tables = tablesOf(`${scratch.database}.full`);
    const points = Array.from({ length: statements - 1 }, (_, i) => i + 1).filter((p) => p % 2 === 1);
    const outcomes = await eachLimited(points, 4, (point) => killAndRestart(point, `${scratch.database}.${point}`));
    const failed = outcomes.filter((o) => o.again !== undefined).map((o) => `${o.point}: ${o.again}`);
    expect(failed).toEqual([]);
    expect(outcomes.every((o) => o.killed)).toBe(true);
    for (const point of points) {
      const sqlite = new SQLite(`${scratch.database}.${point}`, { readonly: true });
      try {
        expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(tablesOf(sqlite)).toEqual(tables);
        expect(sqlite.prepare('select count(*) from kysely_migration').pluck().get()).toBe(migrations);
      } finally {
        sqlite.close();
      }
    }
    console.log('faults figures: sqlite migration kills', JSON.stringify({ points: points.length, failed: 0 }));

    // The server itself starts on a file killed halfway through, and serves.
    const half = `${scratch.database}.half`;
    expect((await migrate(half, Math.floor(statements / 2))).signal).toBe('SIGKILL');
    const server = await startServer({ DATABASE_URL: half, PORT: apiPort(), SEED_DEMO_DATA: 'false', ...noShedding });
    try {
      expect((await call(server.base, 'GET', '/readyz')).status).toBe(200);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  }, 240_000);

  it('PostgreSQL: after a kill at every sixth statement, the next run migrates to the end', async () => {
    postgres = await startPostgres();
    const full = await migrate(await postgres.freshDatabase());
    const statements = Number(JSON.parse(full.output.trim().split('\n').at(-1) ?? '{}').statements);
    const points = Array.from({ length: statements - 1 }, (_, i) => i + 1).filter((p) => p % 6 === 1);
    const outcomes = await eachLimited(points, 4, async (point) => {
      const url = await postgres?.freshDatabase();
      const outcome = await killAndRestart(point, url ?? '');
      const rows = await query<{ count: number }>(url ?? '', 'select count(*)::int as count from kysely_migration');
      return { ...outcome, applied: rows[0]?.count };
    });
    const failed = outcomes.filter((o) => o.again !== undefined).map((o) => `${o.point}: ${o.again}`);
    expect(failed).toEqual([]);
    expect(outcomes.every((o) => o.killed && o.applied === migrations)).toBe(true);
    console.log('faults figures: postgres migration kills', JSON.stringify({ points: points.length, failed: 0 }));
  }, 240_000);
});
