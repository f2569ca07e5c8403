// Where the benchmark's processes run. A server measured beside its load generator on the same cores does not run
// at its limit: on two cores, the load generator and the servers take turns, and a server then sleeps and wakes
// every few requests, which adds the same microseconds of waking to every server's requests and pulls every ratio
// towards 1. So each server runs alone on the last CPU and the load generator (this process) on the others, as
// one measures a server, and as issue 20's own figures were taken.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface Placement {
  /** The CPU list (`taskset -c`) every server is started on. */
  serverCpus: string;
  /** The CPU list this process, the load generator, now runs on. */
  loadCpus: string;
}

/**
 * Pins this process and every thread it has to all CPUs but the last, and returns where servers go; undefined
 * (nothing pinned) with fewer than two CPUs, when `taskset` (util-linux) is missing, or when `enabled` is false.
 */
export function placeProcesses(enabled: boolean): Placement | undefined {
  const count = availableParallelism();
  if (!enabled || count < 2) return undefined;
  const loadCpus = count === 2 ? '0' : `0-${count - 2}`;
  return pinSelf(loadCpus) ? { serverCpus: String(count - 1), loadCpus } : undefined;
}

/** Lets this process run on every CPU again (the scale and stall checks measure latency, not a server's limit). */
export function releaseProcesses(): void {
  pinSelf(`0-${availableParallelism() - 1}`);
}

function pinSelf(cpuList: string): boolean {
  const pinned = spawnSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpuList, String(process.pid)], {
    stdio: 'ignore',
  });
  return pinned.status === 0;
}

/** The command that starts `node` with its arguments on the given CPUs, or on any. */
export function placed(serverCpus: string | undefined, command: string, args: string[]): [string, string[]] {
  return serverCpus === undefined ? [command, args] : ['taskset', ['--cpu-list', serverCpus, command, ...args]];
}
