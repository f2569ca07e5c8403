import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
 * The real server process, as `npm start` runs it, on a loopback port the system picks and a new SQLite file
 * (or the `DATABASE_URL` given, which is then left in place), checking its own responses (strict). Resolves once
 * /healthz answers; start-up gets a minute, as the machine may be shared.
 */
export async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const folder = env.DATABASE_URL === undefined ? await mkdtemp(join(tmpdir(), 'stores-api-server-')) : undefined;
  let output = '';
  // Its own process group: tsx runs the server in a child process, and SIGKILL must reach both.
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['src/server.ts'], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      PORT: '0',
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
  // Fastify logs the address it listens on; the port is the one the system gave it.
  const listening = () => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  for (let i = 0; i < 600 && !listening() && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  const base = listening();
  if (
    base === undefined ||
    !(await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    killGroup(child, 'SIGKILL');
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

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // The group has already gone.
  }
}
