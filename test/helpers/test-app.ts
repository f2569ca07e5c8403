import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { freshDatabase } from './fresh-database.js';
import { Secrets } from './secrets.js';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** `as` chooses who sends the request: the app's default user when absent, another user, or nobody (`null`). */
export type RequestOptions = InjectOptions & { as?: TestUser | null };

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** A user signed up and signed in through the API when the app was built; requests run as them by default. */
  user: TestUser;
  /** Sends a request through `app.inject`; an object payload is sent as application/json. */
  request(options: RequestOptions): Promise<Response>;
  /** Registers and signs in another user through the API. */
  signUp(email?: string): Promise<TestUser>;
  close(): Promise<void>;
}

export interface Response extends LightMyRequestResponse {
  /** The parsed JSON body, or undefined when there is none. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read bodies freely; the app has already checked them against the spec.
  data: any;
}

/**
 * A fresh app on a fresh database: in memory (SQLite), or with `TEST_DATABASE_URL` set (`npm run test:pg`) a
 * fresh schema of that PostgreSQL database, dropped on close. Responses are checked against openapi.yaml inside the app
 * (RESPONSE_VALIDATION=strict turns a breach into a 500 naming it), and `close()` fails the test if any breach
 * was logged, so every response a test receives is checked against the spec.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    DATABASE_URL: ':memory:',
    LOG_LEVEL: 'info',
    RESPONSE_VALIDATION: 'strict',
    PASSWORD_HASH_COST: '10',
    // A test worker's event loop is busy by design; load shedding is tested on its own (test/reliability/).
    OVERLOAD_MAX_EVENT_LOOP_DELAY: '0',
    OVERLOAD_MAX_EVENT_LOOP_UTILIZATION: '0',
    ...env,
  });
  const database = await freshDatabase(config.databaseUrl);
  const { db } = database;
  await migrateToLatest(db);
  const logs: Record<string, unknown>[] = [];
  const app = await buildApp(config, { db, logStream: { write: (line) => logs.push(JSON.parse(line)) } });
  await app.ready();

  const secrets = new Secrets();
  async function send({ as, ...options }: RequestOptions, user: TestUser | null): Promise<Response> {
    const sender = as === undefined ? user : as;
    const headers = { ...(sender && { authorization: `Bearer ${sender.accessToken}` }), ...options.headers };
    secrets.noteAuthorization(headers.authorization);
    secrets.noteOpen(String(options.url ?? ''));
    secrets.noteIn(typeof options.payload === 'string' ? parsedOrNothing(options.payload) : options.payload, true);
    const response = await app.inject({ ...options, headers });
    const type = String(response.headers['content-type'] ?? '');
    const plain = response.headers['content-encoding'] === undefined;
    const data = plain && type.includes('json') && response.body !== '' ? JSON.parse(response.body) : undefined;
    secrets.noteIn(data);
    return Object.assign(response, { data });
  }

  let users = 0;
  async function signUp(email = `user${++users}@example.com`): Promise<TestUser> {
    const password = `password of ${email}`;
    const registered = await send({ method: 'POST', url: '/users', payload: { email, password } }, null);
    if (registered.statusCode !== 201) throw new Error(`sign-up failed: ${registered.body}`);
    const signedIn = await send({ method: 'POST', url: '/auth/tokens', payload: { email, password } }, null);
    if (signedIn.statusCode !== 200) throw new Error(`sign-in failed: ${signedIn.body}`);
    return { id: registered.data.id, email, password, ...signedIn.data };
  }

  const user = await signUp('owner@example.com');
  return {
    app,
    db,
    logs,
    user,
    request: (options) => send(options, user),
    signUp,
    async close() {
      await app.close();
      const hashes = await db
        .selectFrom('users')
        .select('password_hash')
        .execute()
        .catch(() => []);
      for (const { password_hash } of hashes) secrets.note(password_hash);
      await database.drop();
      const breaches = logs.filter((l) => l.msg === 'response breaks the OpenAPI contract');
      if (breaches.length > 0) throw new Error(`responses broke the contract: ${JSON.stringify(breaches)}`);
      // Every test's logs, not just one test's: no password, hash or token it saw may be in them.
      const leaked = secrets.foundIn(logs.map((line) => JSON.stringify(line)).join('\n'));
      if (leaked.length > 0)
        throw new Error(`the logs hold ${leaked.length} secret(s), e.g. ${leaked[0]?.slice(0, 12)}…`);
    },
  };
}

function parsedOrNothing(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A PATCH with a JSON Merge Patch body. */
export function mergePatch(url: string, body: unknown): RequestOptions {
  return {
    method: 'PATCH',
    url,
    headers: { 'content-type': 'application/merge-patch+json' },
    payload: JSON.stringify(body),
  };
}
