// The baseline for the benchmark: a hand-written Fastify server answering GET /stores/:storeId from the same
// SQLite file with the same query, the same JSON Schema check of the id, and the same JSON, without the
// spec-driven layer (openapi-backend validators, typed bindings, problem mapping).
import Fastify from 'fastify';
import { createDatabase } from '../../src/db/database.js';
import { toStore } from '../../src/stores/mapping.js';
import { findStore } from '../../src/stores/repository.js';

const db = createDatabase(process.env.DATABASE_URL ?? '');
// The same logger as the API (LOG_LEVEL from the environment), so the ratio measures only the spec-driven layer.
const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'info' } });
app.get<{ Params: { storeId: string } }>(
  '/stores/:storeId',
  {
    schema: {
      params: {
        type: 'object',
        properties: { storeId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_-]+$' } },
        required: ['storeId'],
      },
    },
  },
  async (request, reply) => {
    const row = await findStore(db, request.params.storeId);
    if (!row) return reply.code(404).send({ status: 404, title: 'Not Found' });
    return toStore(row);
  },
);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
