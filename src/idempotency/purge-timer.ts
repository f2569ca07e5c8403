import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import { startPeriodicPurge } from '../db/periodic-purge.js';
import { purgeExpired } from './repository.js';

/**
 * Deletes expired idempotency records every `intervalMs`, so that a stored answer (and its fingerprint) does not
 * outlive its 24 hours when no new key is claimed.
 */
export function startIdempotencyPurge(app: FastifyInstance, db: Db, intervalMs: number): void {
  startPeriodicPurge(app, intervalMs, 'expired idempotency records', async () => {
    const purged = await purgeExpired(db, new Date().toISOString());
    if (purged > 0) app.log.info({ purged }, 'expired idempotency records deleted');
  });
}
