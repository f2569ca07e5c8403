// npm run bench:scale: requests per second through nginx (deploy/nginx.conf) to one and to two API instances on
// one PostgreSQL database (TEST_DATABASE_URL, which `npm run bench:scale` starts). Rounds alternate one, two,
// one, two… so that drift on a shared machine hits both alike; the median of each is reported.
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { uuidv7 } from 'uuidv7';
import { createDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { freshSchema } from '../test/helpers/fresh-database.js';
import { instancePorts, nginxConfig, proxyBase, startNginx } from '../test/helpers/nginx.js';
import { startServer } from '../test/helpers/server-process.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = 32;

const schema = await freshSchema();
const db = createDatabase(schema.url);
await migrateToLatest(db);
const now = new Date().toISOString();
const storeIds = Array.from({ length: 100 }, () => uuidv7());
await db
  .insertInto('stores')
  .values(storeIds.map((id, i) => ({ id, name: `Store ${i}`, created_at: now, updated_at: now })))
  .execute();
await db.destroy();

// One instance: the same file with the second server marked down.
const oneInstanceConfig = join(tmpdir(), `stores-api-nginx-one-${process.pid}.conf`);
const [, secondPort] = instancePorts;
await writeFile(
  oneInstanceConfig,
  (await readFile(nginxConfig, 'utf8')).replace(
    new RegExp(`server 127\\.0\\.0\\.1:${secondPort}[^;]*;`),
    `server 127.0.0.1:${secondPort} down;`,
  ),
);

const production = {
  DATABASE_URL: schema.url,
  NODE_ENV: 'production',
  CURSOR_SECRET: randomBytes(32).toString('base64url'),
  JWT_SECRET: randomBytes(32).toString('base64url'),
  ACCESS_TOKEN_TTL: '86400',
  ALLOWED_HOSTS: '127.0.0.1',
  LOG_LEVEL: 'warn',
  RESPONSE_VALIDATION: 'off',
  TRUST_PROXY: 'loopback',
  MIGRATE_ON_START: 'false',
};
const instances = await Promise.all(instancePorts.map((port) => startServer({ ...production, PORT: String(port) })));

async function measure(config: string): Promise<number> {
  const proxy = await startNginx(config);
  try {
    let next = 0;
    const result = await autocannon({
      url: proxyBase,
      connections,
      duration: seconds,
      requests: [{ setupRequest: (req) => ({ ...req, path: `/stores/${storeIds[next++ % storeIds.length]}` }) }],
    });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
    return result.requests.average;
  } finally {
    await proxy.stop();
  }
}

const results = { one: [] as number[], two: [] as number[] };
try {
  await measure(nginxConfig);
  for (let round = 1; round <= rounds; round++) {
    results.one.push(await measure(oneInstanceConfig));
    results.two.push(await measure(nginxConfig));
    console.log(`round ${round}: one instance ${results.one.at(-1)} req/s, two instances ${results.two.at(-1)} req/s`);
  }
} finally {
  for (const instance of instances) await instance.stop();
  await rm(oneInstanceConfig, { force: true });
  await schema.drop();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
console.log(
  `\nGET /stores/{storeId} through nginx, ${connections} connections, ${rounds} × ${seconds} s rounds per setup, ` +
    `${cpus().length} cores, Node ${process.version}`,
);
console.log('| behind nginx | requests/s (median) |');
console.log('|---|---|');
console.log(`| one instance | ${median(results.one).toFixed(0)} |`);
console.log(`| two instances | ${median(results.two).toFixed(0)} |`);
