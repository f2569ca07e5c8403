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

/** A loopback port nothing listens on right now, chosen by the system. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * The real server process, as `npm start` runs it, on a loopback port (`env.PORT`, else a random one) and a new
 * SQLite file, checking its own responses (strict). Resolves once /healthz answers; start-up gets a minute, as
 * the machine may be shared. `entry` runs another entry point the same way (the mock server: `src/mock/server.ts`).
 */
export async function startServer(env: Record<string, string> = {}, entry = 'src/server.ts'): Promise<ServerProcess> {
  const folder = await mkdtemp(join(tmpdir(), 'stores-api-server-'));
  const port = env.PORT ? Number(env.PORT) : 39_000 + Math.floor(Math.random() * 3000);
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [entry], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: join(folder, 'nested', 'stores.db'),
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
  const answers = () =>
    fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  for (let i = 0; i < 600 && !(await answers()); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await answers())) {
    // Left running, it would outlive the test run (SIGTERM reaches the server through tsx; SIGKILL would not).
    child.kill('SIGTERM');
    await rm(folder, { recursive: true, force: true });
    throw new Error(`the server did not start:\n${output}`);
  }
  return {
    base,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      const exited =
        child.exitCode !== null
          ? Promise.resolve(child.exitCode)
          : new Promise<number | null>((resolve) => child.once('exit', resolve));
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      await rm(folder, { recursive: true, force: true });
      return code;
    },
  };
}
