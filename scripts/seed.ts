// npm run db:seed: loads the demo catalogue (the seed text's "My Store" with "my item" at 15.99, and more).
// Safe to run twice: stores that already exist are left alone.
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { demoUser, loadDemoData } from '../src/demo/demo-data.js';

const config = loadConfig();
if (!config.development) {
  console.error('npm run db:seed loads an account with a published password: only with NODE_ENV=development.');
  process.exit(1);
}
const db = createDatabase(config.databaseUrl);
await migrateToLatest(db);
const loaded = await loadDemoData(db, config.passwordHashCost);
console.log(`loaded ${loaded.stores} stores and ${loaded.items} items into ${config.databaseUrl}`);
console.log(`they belong to ${demoUser.email} (password: ${demoUser.password}); sign in as that user to change them`);
await db.destroy();
