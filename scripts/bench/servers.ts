// Starting and watching the two servers of the benchmark: each is its own Node process (compiled JavaScript, no
// loader), listening on a free loopback port. Start-up is timed from spawn to the first answer.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { placed } from './placement.js';

export interface Server {
  name: string;
  port: number;
  child: ChildProcess;
  /** Milliseconds from spawn to the first answer. */
  startupMs: number;
  /** CPU time the process had used by its first answer: what start-up costs, whatever else the machine runs. */
  startupCpuMs: number | undefined;
}

import { freePort } from '../../test/helpers/server-process.js';

export { freePort };

/**
 * How `npm run start:prod`, the production command, runs Node, read from package.json so that the benchmarks
 * measure what is deployed: its environment settings (`MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}` gives 2) and its
 * Node flags.
 */
export function productionRuntime(root: string): { env: Record<string, string>; nodeArgs: string[] } {
  const command = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).scripts['start:prod'] as string;
  const words = command.split(' ');
  const env: Record<string, string> = {};
  for (const word of words) {
    const setting = /^([A-Z_]+)=(?:\$\{\1:-(.*)\}|(.*))$/.exec(word);
    if (setting?.[1]) env[setting[1]] = setting[2] ?? setting[3] ?? '';
  }
  return { env, nodeArgs: words.filter((word) => word.startsWith('--')) };
}

export async function startServer(
  name: string,
  script: string,
  env: Record<string, string>,
  options: { cwd: string; firstPath: string; nodeArgs?: string[]; drainStdout?: boolean; cpus?: string | undefined },
): Promise<Server> {
  const port = await freePort();
  const started = performance.now();
  // taskset starts node in its own place (exec), so the child's pid is node's.
  const [command, args] = placed(options.cpus, process.execPath, [...(options.nodeArgs ?? []), script]);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    // A server that logs every request writes to a pipe read and dropped here, as a log collector reads it.
    stdio: ['ignore', options.drainStdout ? 'pipe' : 'inherit', 'inherit'],
  });
  child.stdout?.resume();
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before answering`))),
  );
  exited.catch(() => {});
  const url = `http://127.0.0.1:${port}${options.firstPath}`;
  for (let i = 0; i < 2000; i++) {
    const answered = await Promise.race([
      fetch(url).then(
        (r) => r.status < 500,
        () => false,
      ),
      exited,
    ]);
    if (answered) return { name, port, child, startupMs: performance.now() - started, startupCpuMs: cpuMs(child.pid) };
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill();
  throw new Error(`${name} did not answer ${url} within 10 s`);
}

export async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** A field of /proc/<pid>/status in MiB (`VmRSS` now, `VmHWM` the peak so far); undefined where there is no /proc. */
export function memoryMiB(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** CPU time the process has used so far (user + system), in milliseconds; undefined where there is no /proc. */
export function cpuMs(pid: number | undefined): number | undefined {
  try {
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}
