// The process: config → database → migrations (and demo data on an empty database) → app → listen,
// and a graceful shutdown on SIGINT or SIGTERM.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { disableDemoAccount } from './demo/demo-account.js';
import { demoUser, loadDemoData } from './demo/demo-data.js';
import { Lifecycle } from './health/lifecycle.js';
import { type DemoState, startLine } from './start-line.js';
import { hasNoStores } from './stores/repository.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

let db: ReturnType<typeof createDatabase>;
try {
  db = createDatabase(config.databaseUrl);
} catch (error) {
  console.error(`DATABASE_URL: cannot open ${config.databaseUrl}: ${(error as Error).message}`);
  process.exit(1);
}
if (config.migrateOnStart) await migrateToLatest(db);
// Demo data only in explicit development (loadConfig refuses SEED_DEMO_DATA anywhere else); in production the
// demo account, whose password is published, is disabled if an earlier start left it.
let demo: DemoState = 'off';
if (config.seedDemoData) {
  demo = (await hasNoStores(db)) ? 'loaded' : 'kept';
  if (demo === 'loaded') await loadDemoData(db, config.passwordHashCost);
}
const lifecycle = new Lifecycle();
const app = await buildApp(config, { db, lifecycle });
if (config.production && (await disableDemoAccount(db))) {
  app.log.warn({ account: demoUser.email }, 'the demo account was found in production and has been disabled');
}

// Shutdown: readiness turns 503 at once; after SHUTDOWN_DELAY (time for load balancers to notice) the listener
// closes, requests in flight finish within SHUTDOWN_TIMEOUT, the database closes (checkpointing its WAL), and
// the process exits 0. Requests outliving the timeout end it with 1.
async function shutdown(signal: string): Promise<void> {
  // A terminal's Ctrl-C reaches this process both directly and relayed by tsx: one shutdown serves both.
  if (lifecycle.shuttingDown) return;
  lifecycle.state = 'draining';
  app.log.info({ signal, delayMs: config.shutdownDelay }, 'shutting down: readiness now answers 503');
  await new Promise((resolve) => setTimeout(resolve, config.shutdownDelay));
  lifecycle.state = 'closing';
  app.log.info({ timeoutMs: config.shutdownTimeout }, 'listener closing: finishing requests in flight');
  const timer = setTimeout(() => {
    app.log.error({ timeoutMs: config.shutdownTimeout }, 'requests in flight did not finish in time; exiting');
    process.exit(1);
  }, config.shutdownTimeout);
  await app.close();
  await db.destroy();
  clearTimeout(timer);
  app.log.info('requests finished and database closed; exiting');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

const address = await app.listen({ port: config.port, host: config.host });
process.stderr.write(`${startLine(address, demo)}\n`);
