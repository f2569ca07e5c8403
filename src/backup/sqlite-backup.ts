import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';

// Backup and restore of a SQLite database file (npm run db:backup, db:restore).

/** Why a SQLite file cannot be used as a backup, or undefined when its integrity check passes. */
export function integrityProblem(file: string): string | undefined {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const result = sqlite.pragma('integrity_check', { simple: true });
    return result === 'ok' ? undefined : String(result);
  } finally {
    sqlite.close();
  }
}

/**
 * Copies the live database at `source` to `target` with SQLite's online backup API: a consistent snapshot,
 * taken page by page while servers keep reading and writing, then synced to disk and checked.
 */
export async function backUp(source: string, target: string): Promise<void> {
  const sqlite = new SQLite(source, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    await sqlite.backup(target);
  } finally {
    sqlite.close();
  }
  syncFile(target);
  const problem = integrityProblem(target);
  if (problem) throw new Error(`the backup at ${target} failed its integrity check: ${problem}`);
}

/**
 * True when another connection (a server, a script) has the database open. Asking for SQLite's exclusive
 * locking mode, without waiting, fails while any other connection holds the file, even an idle one.
 */
export function inUse(database: string): boolean {
  if (!existsSync(database)) return false;
  const probe = new SQLite(database, { timeout: 0 });
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.prepare('begin exclusive').run();
    probe.prepare('select count(*) from sqlite_master').get();
    probe.prepare('commit').run();
    return false;
  } catch (error) {
    // Any other error (a damaged old file) came after the lock was had: nobody else holds it.
    return String((error as { code?: string }).code).startsWith('SQLITE_BUSY');
  } finally {
    probe.close();
  }
}

/**
 * Puts the backup at `backup` in place of the database at `database`, which nothing may have open. The backup is
 * checked first; the WAL and shared-memory files of the old database are removed (left beside the new file,
 * SQLite would replay the old log into it); the copy is synced and renamed into place, so a crash leaves either
 * the old database or the new one.
 */
export function restore(backup: string, database: string): void {
  const problem = integrityProblem(backup);
  if (problem) throw new Error(`the backup at ${backup} failed its integrity check: ${problem}`);
  if (inUse(database)) {
    throw new Error(`${database} is open in another process (a running server?): stop it before restoring`);
  }
  const staging = `${database}.restoring`;
  copyFileSync(backup, staging);
  syncFile(staging);
  for (const stale of [`${database}-wal`, `${database}-shm`, `${database}-journal`]) rmSync(stale, { force: true });
  renameSync(staging, database);
  syncFile(dirname(database));
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
