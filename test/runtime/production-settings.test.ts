import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { productionRuntime } from '../../scripts/bench/servers.js';

// `npm run start:prod` is how production starts the API: glibc's MALLOC_ARENA_MAX=2 (peak RSS 152 -> 138 MiB in
// the benchmark) and V8's 2 MiB semi-spaces. Run here through the shell as npm runs it, with the server swapped
// for a line of Node that prints what the process got.
const root = new URL('../../', import.meta.url).pathname;
const command = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts['start:prod'] as string;

function startedWith(env: Record<string, string | undefined>): { arenas: string; flags: string[] } {
  const probe = command.replace(
    'dist/src/server.js',
    `-e 'console.log(JSON.stringify({ arenas: process.env.MALLOC_ARENA_MAX, flags: process.execArgv }))'`,
  );
  const environment = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete environment[name];
  return JSON.parse(execFileSync('sh', ['-c', probe], { env: environment, encoding: 'utf8' }));
}

describe('npm run start:prod', () => {
  it('runs Node with two malloc arenas and 2 MiB semi-spaces', () => {
    const started = startedWith({ MALLOC_ARENA_MAX: undefined });
    expect(started.arenas).toBe('2');
    expect(started.flags).toContain('--max-semi-space-size=2');
  });

  it("keeps an operator's own MALLOC_ARENA_MAX", () => {
    expect(startedWith({ MALLOC_ARENA_MAX: '4' }).arenas).toBe('4');
  });

  it('is what the benchmarks run both servers with', () => {
    expect(productionRuntime(root)).toEqual({ env: { MALLOC_ARENA_MAX: '2' }, nodeArgs: ['--max-semi-space-size=2'] });
  });
});
