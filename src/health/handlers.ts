import { pendingMigrations } from '../db/migrate.js';
import type { Handler } from '../http/context.js';
import { problem } from '../http/problem.js';

const noStore = { 'Cache-Control': 'no-store' } as const;

export const checkLiveness: Handler<'checkLiveness'> = async () => ({
  status: 200,
  headers: noStore,
  body: { status: 'ok' },
});

/** Ready when the database answers and its schema is current; a failure is a 503 saying which, never a 500. */
export const checkReadiness: Handler<'checkReadiness'> = async (_request, ctx) => {
  let pending: string[];
  try {
    pending = await pendingMigrations(ctx.db);
  } catch (error) {
    ctx.log.error({ err: error }, 'readiness: the database does not answer');
    return { ...problem(503, 'The database does not answer.'), headers: noStore };
  }
  if (pending.length > 0) {
    return { ...problem(503, `Migrations are not applied yet: ${pending.join(', ')}.`), headers: noStore };
  }
  return { status: 200, headers: noStore, body: { status: 'ready' } };
};
