import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import { purgeExpired } from './repository.js';

/**
 * Deletes expired idempotency records every `intervalMs`, so that a stored answer (and its fingerprint) does not
 * outlive its 24 hours when no new key is claimed. Each instance runs it; the delete is harmless to repeat.
 * A failed purge (the database briefly down) is logged and tried again next time.
 */
export function startIdempotencyPurge(app: FastifyInstance, db: Db, intervalMs: number): void {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = purgeExpired(db, new Date().toISOString())
      .then((purged) => {
        if (purged > 0) app.log.info({ purged }, 'expired idempotency records deleted');
      })
      .catch((error: unknown) => app.log.warn({ err: error }, 'purging expired idempotency records failed'))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
