import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** Sends a request through `app.inject`; an object payload is sent as application/json. */
  request(options: InjectOptions): Promise<Response>;
  close(): Promise<void>;
}

export interface Response extends LightMyRequestResponse {
  /** The parsed JSON body, or undefined when there is none. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read bodies freely; the app has already checked them against the spec.
  data: any;
}

/**
 * A fresh app on a fresh in-memory database. Responses are checked against openapi.yaml inside the app
 * (RESPONSE_VALIDATION=strict turns a breach into a 500 naming it), and `close()` fails the test if any breach
 * was logged, so every response a test receives is checked against the spec.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'info', RESPONSE_VALIDATION: 'strict', ...env });
  const db = createDatabase(config.databaseUrl);
  await migrateToLatest(db);
  const logs: Record<string, unknown>[] = [];
  const app = await buildApp(config, { db, logStream: { write: (line) => logs.push(JSON.parse(line)) } });
  await app.ready();
  return {
    app,
    db,
    logs,
    async request(options) {
      const response = await app.inject(options);
      const type = String(response.headers['content-type'] ?? '');
      const data = type.includes('json') && response.body !== '' ? JSON.parse(response.body) : undefined;
      return Object.assign(response, { data });
    },
    async close() {
      await app.close();
      await db.destroy();
      const breaches = logs.filter((l) => l.msg === 'response breaks the OpenAPI contract');
      if (breaches.length > 0) throw new Error(`responses broke the contract: ${JSON.stringify(breaches)}`);
    },
  };
}

/** A PATCH with a JSON Merge Patch body. */
export function mergePatch(url: string, body: unknown): InjectOptions {
  return {
    method: 'PATCH',
    url,
    headers: { 'content-type': 'application/merge-patch+json' },
    payload: JSON.stringify(body),
  };
}
