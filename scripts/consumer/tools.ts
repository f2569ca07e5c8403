// Finding and running the tools our consumers use (Python, Go, Schemathesis), for test:sdk and test:contract.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../../', import.meta.url).pathname;

// `.ci/run` (and the README) install the Python tools into `.tools/venv` and the Go tools into `.tools/bin`;
// TOOLS_VENV and TOOLS_BIN point elsewhere, and a tool found in neither is taken from PATH.
const venvBin = join(process.env.TOOLS_VENV ?? join(root, '.tools/venv'), 'bin');
const toolsBin = process.env.TOOLS_BIN ?? join(root, '.tools/bin');

/** The path of a command from the tools venv or the tools bin folder, else its bare name (found on PATH). */
export function tool(name: string): string {
  for (const folder of [venvBin, toolsBin]) {
    if (existsSync(join(folder, name))) return join(folder, name);
  }
  return name;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Kill the command after this many seconds. */
  timeout?: number;
  /** Called with each chunk of output, which is also passed through to ours unless `quiet`. */
  onOutput?: (chunk: string) => void;
  /** Keep the command's output to `onOutput` only. */
  quiet?: boolean;
}

/** Runs a command with its output passed through; resolves with its exit code (rejects if it cannot start). */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? root,
      // The tools' own helpers (openapi-python-client runs ruff) come from the same folders.
      env: { ...process.env, PATH: `${venvBin}:${toolsBin}:${process.env.PATH ?? ''}`, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pass = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
      if (!options.quiet) to.write(chunk);
      options.onOutput?.(chunk.toString());
    };
    child.stdout.on('data', pass(process.stdout));
    child.stderr.on('data', pass(process.stderr));
    const timer =
      options.timeout === undefined
        ? undefined
        : setTimeout(() => {
            process.stderr.write(`\n${command} ran over ${options.timeout} s; stopping it\n`);
            child.kill('SIGTERM');
          }, options.timeout * 1000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${error.message} (see the README: "For consumers")`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** Runs a command and throws, naming it, unless it exits 0. */
export async function mustRun(command: string, args: string[], options: RunOptions = {}): Promise<void> {
  const code = await runCommand(command, args, options);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`);
}

/** Runs a step, prints how long it took, and returns its result. */
export async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  console.log(`\n── ${label}`);
  const result = await work();
  console.log(`── ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** Lines the server logged as contract breaches or errors (level 50 and up): there must be none. */
export function serverErrors(output: string): string[] {
  return output.split('\n').filter((line) => /"level":(5|6)\d/.test(line));
}
