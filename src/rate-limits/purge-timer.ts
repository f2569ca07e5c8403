import type { FastifyInstance } from 'fastify';
import { purgeForgotten } from '../auth/sign-in-repository.js';
import type { Db } from '../db/database.js';
import { purgeEnded } from './repository.js';

const day = 24 * 60 * 60 * 1000;

/**
 * Deletes, every `intervalMs`, the rate-limit windows that have ended and the per-account sign-in counts that
 * are forgotten (no attempt for a day), so neither table grows with every client and address ever seen. Each
 * instance runs it; the deletes are harmless to repeat. A failed purge is logged and tried again next time.
 */
export function startLimitPurge(app: FastifyInstance, db: Db, intervalMs: number): void {
  let running: Promise<void> | undefined;
  const purge = async () => {
    const windows = await purgeEnded(db);
    const accounts = await purgeForgotten(db, Date.now() - day);
    if (windows + accounts > 0) app.log.debug({ windows, accounts }, 'ended rate-limit windows deleted');
  };
  const timer = setInterval(() => {
    if (running) return;
    running = purge()
      .catch((error: unknown) => app.log.warn({ err: error }, 'purging ended rate-limit windows failed'))
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
