// npm run db:migrate: brings the database named by DATABASE_URL up to the latest schema.
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';

const config = loadConfig();
const db = createDatabase(config.databaseUrl);
const applied = await migrateToLatest(db);
console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
await db.destroy();
