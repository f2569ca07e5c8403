// The process: config → database → migrations (and demo data on an empty database) → app → listen,
// and a graceful shutdown on SIGINT or SIGTERM.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { loadDemoData } from './demo/demo-data.js';
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
if (config.seedDemoData && (await hasNoStores(db))) await loadDemoData(db, config.passwordHashCost);
const app = await buildApp(config, { db });

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: finishing requests in flight');
  const timer = setTimeout(() => {
    app.log.error('requests did not finish within 10 s; exiting');
    process.exit(1);
  }, 10_000);
  await app.close();
  await db.destroy();
  clearTimeout(timer);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: config.port, host: config.host });
