import type { FastifyInstance } from 'fastify';

/**
 * Runs `purge` every `intervalMs` while the app is open: deletes of rows that have outlived their use, which every
 * instance may run and repeat harmlessly. One run at a time; a failed run (the database briefly down) is logged
 * and tried again next time; closing the app stops the timer and waits for a run under way.
 */
export function startPeriodicPurge(
  app: FastifyInstance,
  intervalMs: number,
  what: string,
  purge: () => Promise<void>,
): void {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = purge()
      .catch((error: unknown) => app.log.warn({ err: error }, `purging ${what} failed`))
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
