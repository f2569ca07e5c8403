import { buildApp } from '../app.js';
import { readBearerToken } from '../auth/authenticate.js';
import type { Config } from '../config.js';
import { createDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { loadSpec } from '../http/openapi-spec.js';
import { mockHandlers } from './mock-handlers.js';

/** The user every accepted token stands for on the mock: the one in the spec's examples. */
const exampleUserId = '01936d3e-6f7a-7b2c-8d3e-4f5a6b7c8d9e';

/**
 * The API answered from openapi.yaml alone, for consumers who build before the API runs. Routing, request
 * validation (400, 406, 413, 415), the HTTP layer, Idempotency-Key, If-Match and rate limits are the real
 * API's; the handlers answer with the spec's examples. Any well-formed bearer token is accepted (401 without
 * one, as the real API answers), and every signed-in user may change everything. It keeps no data: an
 * in-memory database holds only idempotency keys.
 */
export async function buildMockApp(config: Config, logStream?: { write(line: string): void }) {
  const db = createDatabase(':memory:');
  await migrateToLatest(db);
  const spec = await loadSpec();
  const app = await buildApp(config, {
    db,
    ...(logStream && { logStream }),
    operations: {
      handlers: mockHandlers(spec),
      securitySchemes: {
        bearerAuth: async (request) => {
          const sent = readBearerToken(request);
          if (!sent.ok) return sent;
          const expiresAt = Math.floor(Date.now() / 1000) + 900;
          return {
            ok: true,
            principal: {
              userId: exampleUserId,
              role: 'user',
              tokenId: 'mock',
              tokenExpiresAt: expiresAt,
              sessionId: 'mock',
            },
          };
        },
      },
      authorize: async () => 'allowed',
    },
  });
  app.addHook('onClose', async () => {
    await db.destroy();
  });
  return app;
}
