// The process: config → database → app → listen (starting) → migrations, secrets, demo data → serving,
// and a graceful shutdown on SIGINT or SIGTERM.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { unavailableDatabase } from './db/unavailable.js';
import { disableDemoAccount } from './demo/demo-account.js';
import { demoUser, loadDemoData } from './demo/demo-data.js';
import { Lifecycle } from './health/lifecycle.js';
import { stopRecording } from './observability/metrics.js';
import { startMetricsServer } from './observability/metrics-server.js';
import { startTracing } from './observability/tracing.js';
import { KeptSecrets } from './secrets/server-secrets.js';
import { type DemoState, startLine } from './start-line.js';
import { hasNoStores } from './stores/repository.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

// Tracing first, when the OTEL_* variables ask for it, so that every request and statement is traced.
const stopTracing = await startTracing();

// Until the app's logger exists, a lost database connection is reported on standard error.
let connectionLost = (error: Error) => console.error(`database connection lost: ${error.message}`);
let db: ReturnType<typeof createDatabase>;
try {
  db = createDatabase(config.databaseUrl, { onConnectionError: (error) => connectionLost(error) });
} catch (error) {
  console.error(`DATABASE_URL: cannot open ${config.databaseUrl}: ${(error as Error).message}`);
  process.exit(1);
}

// The listener opens first, in the `starting` state: liveness answers, so a supervisor does not kill the process,
// while readiness and every operation answer 503 until the database has answered and is migrated.
const lifecycle = new Lifecycle();
lifecycle.state = 'starting';
// The signing secrets may be kept in the database, so they are read once it answers (below).
const secrets = new KeptSecrets(db, config);
const app = await buildApp(config, { db, lifecycle, secrets });
connectionLost = (error) => app.log.warn({ err: error }, 'database connection lost; the pool opens a new one');

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
  // The last spans are sent before the process exits.
  await stopTracing?.();
  clearTimeout(timer);
  app.log.info('requests finished and database closed; exiting');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

const address = await app.listen({ port: config.port, host: config.host });
if (config.metricsPort !== undefined) startMetricsServer(config.metricsPort, config.metricsHost, app.log);
else stopRecording();

// A database that does not answer yet (PostgreSQL starting, restarting, unreachable) is waited for, not a reason
// to exit: under a supervisor, exiting would only crash-loop until it is back. Any other error stops start-up.
let demo: DemoState = 'off';
for (let attempt = 1; lifecycle.state === 'starting'; attempt++) {
  try {
    if (config.migrateOnStart) await migrateToLatest(db);
    await secrets.load();
    if (secrets.ephemeral) {
      app.log.warn('the database is read-only and holds no signing secret: tokens signed now end with this process');
    }
    // Demo data only in explicit development (loadConfig refuses SEED_DEMO_DATA anywhere else); in production
    // the demo account, whose password is published, is disabled if an earlier start left it.
    if (config.seedDemoData) {
      demo = (await hasNoStores(db)) ? 'loaded' : 'kept';
      if (demo === 'loaded') await loadDemoData(db, config.passwordHashCost);
    }
    if (config.production && (await disableDemoAccount(db))) {
      app.log.warn({ account: demoUser.email }, 'the demo account was found in production and has been disabled');
    }
    // A SIGTERM during start-up has moved the lifecycle on already: shutting down wins.
    if (lifecycle.state === 'starting') {
      lifecycle.state = 'serving';
      process.stderr.write(`${startLine(address, demo)}\n`);
    }
  } catch (error) {
    const unavailable = unavailableDatabase(error);
    if (!unavailable) {
      app.log.fatal({ err: error }, 'start-up failed');
      process.exit(1);
    }
    const waitMs = Math.min(5_000, 250 * 2 ** Math.min(attempt, 5));
    app.log.warn({ err: error, waitMs }, `start-up: ${unavailable.detail} Trying again.`);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
