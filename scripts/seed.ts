// npm run db:seed: loads the demo catalogue (the seed text's "My Store" with "my item" at 15.99, and more).
// Safe to run twice: stores that already exist are left alone.
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { loadDemoData } from '../src/demo/demo-data.js';

const config = loadConfig();
const db = createDatabase(config.databaseUrl);
await migrateToLatest(db);
const loaded = await loadDemoData(db);
console.log(`loaded ${loaded.stores} stores and ${loaded.items} items into ${config.databaseUrl}`);
await db.destroy();
