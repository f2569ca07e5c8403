import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  base: string;
  child: ChildProcess;
  /** Everything the process has written so far. */
  output(): string;
  /** Sends the signal and waits for the exit code; the database folder is removed afterwards. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The real server process, as `npm start` runs it, on a free loopback port and a new SQLite file
 * (or the `DATABASE_URL` given, which is then left in place), checking its own responses (strict). Resolves once
 * /readyz answers 200 (/healthz for another entry point); start-up gets a minute, as the machine may be shared.
 * `entry` runs another entry point the same way (the mock server: `src/mock/server.ts`).
 */
export async function startServer(env: Record<string, string> = {}, entry = 'src/server.ts'): Promise<ServerProcess> {
  const folder = env.DATABASE_URL === undefined ? await mkdtemp(join(tmpdir(), 'stores-api-server-')) : undefined;
  const base = `http://127.0.0.1:${env.PORT ?? (await freePort())}`;
  let output = '';
  // Its own process group: tsx runs the server in a child process, and SIGKILL must reach both.
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [entry], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      // As `npm start` runs it: development, unless the test says otherwise (vitest itself sets NODE_ENV=test).
      NODE_ENV: 'development',
      PORT: base.split(':')[2],
      HOST: '127.0.0.1',
      ...(folder && { DATABASE_URL: join(folder, 'nested', 'stores.db') }),
      RESPONSE_VALIDATION: 'strict',
      PASSWORD_HASH_COST: '10',
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  // The API listens before its database is ready (it answers 503 while starting): wait for readiness.
  const answers = () =>
    fetch(`${base}${entry === 'src/server.ts' ? '/readyz' : '/healthz'}`).then(
      (r) => r.ok,
      () => false,
    );
  for (let i = 0; i < 600 && child.exitCode === null && !(await answers()); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await answers())) {
    killGroup(child, 'SIGKILL');
    if (folder) await rm(folder, { recursive: true, force: true });
    throw new Error(`the server did not start:\n${output}`);
  }
  return {
    base,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      const running = child.exitCode === null && child.signalCode === null;
      const exited = running
        ? new Promise<number | null>((resolve) => child.once('exit', resolve))
        : Promise.resolve(child.exitCode);
      // SIGTERM goes to tsx, which relays it, as a process manager would; SIGKILL to the whole group.
      if (running) {
        if (signal === 'SIGKILL') killGroup(child, signal);
        else child.kill(signal);
      }
      const code = await exited;
      if (folder) await rm(folder, { recursive: true, force: true });
      return code;
    },
  };
}

/**
 * A free loopback port below Linux's ephemeral range (32768-60999), where services here must stay: a port in that
 * range may be taken at any moment as the local end of an outgoing connection. It is drawn at random from
 * 26000-31999 (the fixed ports of PostgreSQL, nginx and the fault suite are all in 24000-24199) and checked by
 * binding it, so parallel test files rarely draw the same one and never get one that is held.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 26000 + Math.floor(Math.random() * 6000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free loopback port in 26000-31999');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // The group has already gone.
  }
}

/** Settings for a server that must take every request: load shedding (tested on its own) would refuse some. */
export const noShedding = { OVERLOAD_MAX_EVENT_LOOP_DELAY: '0', OVERLOAD_MAX_EVENT_LOOP_UTILIZATION: '0' };

/** A SQLite file path in a new folder of its own, for servers that must share or reopen one; `remove` cleans up. */
export async function scratchDatabase(name: string): Promise<{ database: string; remove(): Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), `stores-api-${name}-`));
  return { database: join(folder, 'stores.db'), remove: () => rm(folder, { recursive: true, force: true }) };
}
