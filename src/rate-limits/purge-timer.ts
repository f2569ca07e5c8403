import type { FastifyInstance } from 'fastify';
import { purgeForgotten } from '../auth/sign-in-repository.js';
import type { Db } from '../db/database.js';
import { startPeriodicPurge } from '../db/periodic-purge.js';
import { purgeEnded } from './repository.js';

const day = 24 * 60 * 60 * 1000;

/**
 * Deletes, every `intervalMs`, the rate-limit windows that have ended and the per-account sign-in counts that
 * are forgotten (no attempt for a day), so neither table grows with every client and address ever seen.
 */
export function startLimitPurge(app: FastifyInstance, db: Db, intervalMs: number): void {
  startPeriodicPurge(app, intervalMs, 'ended rate-limit windows', async () => {
    const windows = await purgeEnded(db);
    const accounts = await purgeForgotten(db, Date.now() - day);
    if (windows + accounts > 0) app.log.debug({ windows, accounts }, 'ended rate-limit windows deleted');
  });
}
