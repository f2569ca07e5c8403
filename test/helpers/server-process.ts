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
 * The real server process, as `npm start` runs it, on a random loopback port and a new SQLite file, checking its
 * own responses (strict). Resolves once /healthz answers; start-up gets a minute, as the machine may be shared.
 * `entry` runs another entry point the same way (the mock server: `src/mock/server.ts`).
 */
export async function startServer(env: Record<string, string> = {}, entry = 'src/server.ts'): Promise<ServerProcess> {
  const folder = await mkdtemp(join(tmpdir(), 'stores-api-server-'));
  const port = Number(env.PORT ?? 39_000 + Math.floor(Math.random() * 3000));
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  // Node itself with tsx's loader, not the tsx wrapper: one process, so a signal (SIGKILL too) reaches the server.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
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
  for (let i = 0; i < 600 && child.exitCode === null && !(await answers()); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await answers())) {
    child.kill('SIGKILL');
    await rm(folder, { recursive: true, force: true });
    throw new Error(`the server did not start:\n${output}`);
  }
  return {
    base,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      const exited =
        child.exitCode !== null || child.signalCode !== null
          ? Promise.resolve(child.exitCode)
          : new Promise<number | null>((resolve) => child.once('exit', resolve));
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      await rm(folder, { recursive: true, force: true });
      return code;
    },
  };
}
