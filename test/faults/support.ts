// Shared by the fault tests (npm run test:faults): HTTP calls that never throw, sign-up, tallies, ports, and a
// PostgreSQL cluster of their own that a test can restart, stop and start again.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const root = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);

/** Fixed loopback ports of this suite: 24150 for its PostgreSQL, 24160-24199 for API processes. */
export const faultsPgPort = Number(process.env.FAULTS_PG_PORT ?? 24150);
let nextPort = 24160;
export function apiPort(): string {
  const port = nextPort++;
  if (port > 24199) throw new Error('the fault tests ran out of ports 24160-24199');
  return String(port);
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  ms: number;
}

/** One request; a connection that fails or does not answer within `timeoutMs` is status 0, never a throw. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined && {
          'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
        }),
        ...(options.token && { authorization: `Bearer ${options.token}` }),
        ...options.headers,
      },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
  } catch {
    return { status: 0, headers: new Headers(), body: {}, ms: performance.now() - started };
  }
}

/** Registers a user and returns an access token for it. */
export async function signUp(base: string, email: string): Promise<string> {
  const credentials = { email, password: `${email} password` };
  const registered = await call(base, 'POST', '/users', { body: credentials });
  if (registered.status !== 201) throw new Error(`sign-up answered ${registered.status}`);
  // As a client would: a 503 or 429 is waited out for its Retry-After (a busy machine's instance may shed), and
  // anything else but 200 stops here with its status, not later as a puzzling 401.
  for (let attempt = 1; ; attempt++) {
    const token = await call(base, 'POST', '/auth/tokens', { body: credentials });
    if (token.status === 200) return String(token.body.accessToken);
    if ((token.status !== 503 && token.status !== 429) || attempt === 5) {
      throw new Error(`sign-in answered ${token.status}: ${JSON.stringify(token.body)}`);
    }
    await new Promise((r) => setTimeout(r, Math.min(2, Number(token.headers.get('retry-after') ?? 1)) * 1000));
  }
}

export const tally = (statuses: number[]) =>
  Object.fromEntries([...new Set(statuses)].sort().map((s) => [s, statuses.filter((t) => t === s).length]));

/** A 503 as the API must give it while a dependency is down: problem+json with a positive Retry-After. */
export function isProperUnavailable(answer: Answer): boolean {
  return (
    answer.status === 503 &&
    (answer.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
    Number(answer.headers.get('retry-after')) > 0
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 100 ms until it is true or `ms` passes; returns how long it took, or -1. */
export async function waitFor(check: () => Promise<boolean>, ms: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < ms) {
    if (await check()) return performance.now() - started;
    await sleep(100);
  }
  return -1;
}

/** A throwaway PostgreSQL cluster on `faultsPgPort` (scripts/postgres-local.sh), which tests may take down. */
export async function startPostgres() {
  const dir = await mkdtemp(join(tmpdir(), 'stores-api-faults-pg-'));
  const script = join(root, 'scripts/postgres-local.sh');
  const env = { ...process.env, PG_PORT: String(faultsPgPort) };
  const pgctl = (command: string) => run(script, [command, dir], { env }).then(() => undefined);
  const { stdout } = await run(script, ['start', dir], { env });
  const url = stdout.trim();
  let databases = 0;
  return {
    url,
    restart: () => pgctl('restart'),
    halt: () => pgctl('halt'),
    resume: () => pgctl('resume'),
    stop: () => pgctl('stop'),
    /** A new empty database on the cluster, and its URL. */
    async freshDatabase(): Promise<string> {
      const name = `faults_${process.pid}_${++databases}`;
      await query(url, `create database ${name}`);
      const fresh = new URL(url);
      fresh.pathname = `/${name}`;
      return fresh.href;
    },
  };
}

/** Runs one statement on its own connection and returns its rows. */
export async function query<R extends Record<string, unknown>>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}
