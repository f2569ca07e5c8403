// Runs the start-up migrations on DATABASE_URL (argv[2]) and, when argv[3] is a number N > 0, SIGKILLs itself as
// soon as the Nth statement has run: a process killed at that point of a migration, as a crash or a supervisor
// would kill it. Prints the number of statements a full run took.
import { createDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const [databaseUrl = '', killAfterArg = '0'] = process.argv.slice(2);
const killAfter = Number(killAfterArg);
let statements = 0;
const db = createDatabase(databaseUrl, {
  log: (event) => {
    if (event.level !== 'query') return;
    statements++;
    if (statements === killAfter) process.kill(process.pid, 'SIGKILL');
  },
});
await migrateToLatest(db);
await db.destroy();
console.log(JSON.stringify({ statements }));
