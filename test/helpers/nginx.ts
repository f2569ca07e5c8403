import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

/**
 * The committed nginx configuration: two instances on 24081 and 24082 behind 127.0.0.1:24080. The ports lie below
 * Linux's ephemeral range (32768-60999): a port in it can be taken at any moment as the local end of an outgoing
 * connection (a database client's, a test's), and then nginx cannot bind it (this happened with 44080).
 */
export const nginxConfig = join(root, 'deploy/nginx.conf');
export const proxyBase = 'http://127.0.0.1:24080';
export const instancePorts = [24081, 24082] as const;

export interface RunningNginx {
  stop(): Promise<void>;
}

/**
 * nginx from Debian (or NGINX_PATH) with `deploy/nginx.conf` (or another file), in the foreground, its pid file
 * and logs in a temporary folder. Resolves once the port accepts connections.
 */
export async function startNginx(config = nginxConfig): Promise<RunningNginx> {
  const folder = await mkdtemp(join(tmpdir(), 'stores-api-nginx-'));
  await mkdir(join(folder, 'logs'));
  const child: ChildProcess = spawn(
    process.env.NGINX_PATH ?? '/usr/sbin/nginx',
    [
      '-p',
      folder,
      '-c',
      config,
      '-e',
      join(folder, 'logs/error.log'),
      '-g',
      `daemon off; pid ${join(folder, 'nginx.pid')};`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    const up = await fetch(`${proxyBase}/healthz`).then(
      () => true,
      () => false,
    );
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
      await rm(folder, { recursive: true, force: true });
    },
  };
}
