// npm run user:make-admin -- <email>: gives an existing account the admin role (or, with --revoke, takes it away).
// Admins are made here, by someone with access to the database, never through the API.
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { setRole } from '../src/users/repository.js';

const args = process.argv.slice(2);
const email = args.find((a) => !a.startsWith('--'));
if (!email) {
  console.error('usage: npm run user:make-admin -- <email> [--revoke]');
  process.exit(2);
}
const role = args.includes('--revoke') ? 'user' : 'admin';
const config = loadConfig();
const db = createDatabase(config.databaseUrl);
await migrateToLatest(db);
const changed = await setRole(db, email, role);
await db.destroy();
if (!changed) {
  console.error(`no account has the e-mail address ${email}; register it first`);
  process.exit(1);
}
console.log(`${email} is now ${role === 'admin' ? 'an admin' : 'a user'}`);
