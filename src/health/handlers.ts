import { pendingMigrations } from '../db/migrate.js';
import { whyNotWritable } from '../db/write-check.js';
import type { Handler } from '../http/context.js';
import { problem } from '../http/problem.js';

// Cache-Control: no-store is pinned by the spec on every answer here, and sent by the binding.

/** How long a load balancer should wait before asking an instance that is not ready again, in seconds. */
const retryAfter = 5;

const notReady = (detail: string) => ({ ...problem(503, detail), headers: { 'Retry-After': retryAfter } });

export const checkLiveness: Handler<'checkLiveness'> = async () => ({ status: 200, body: { status: 'ok' } });

/**
 * Ready when the instance is not shutting down, the database answers, its schema is current and it can take a
 * write (on SQLite: the file held open is still the one at DATABASE_URL, with room on its disk); anything else
 * is a 503 saying which, never a 500.
 */
export const checkReadiness: Handler<'checkReadiness'> = async (_request, ctx) => {
  if (ctx.lifecycle.shuttingDown) return notReady('This instance is shutting down.');
  if (ctx.lifecycle.state === 'starting') return notReady('This instance is starting: waiting for its database.');
  let pending: string[];
  try {
    pending = await pendingMigrations(ctx.db);
  } catch (error) {
    ctx.log.error({ err: error }, 'readiness: the database does not answer');
    return notReady('The database does not answer.');
  }
  if (pending.length > 0) return notReady(`Migrations are not applied yet: ${pending.join(', ')}.`);
  const notWritable = await whyNotWritable(ctx.db);
  if (notWritable) {
    ctx.log.warn({ reason: notWritable }, 'readiness: the database cannot take writes');
    return notReady(notWritable);
  }
  return { status: 200, body: { status: 'ready' } };
};
