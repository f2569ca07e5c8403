import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { handlers } from './handlers.js';
import { bindOperations } from './http/bind-operations.js';
import { CursorCodec } from './http/cursor.js';
import { registerDocs } from './http/docs.js';
import { registerErrorHandling } from './http/error-handling.js';
import { loadSpec } from './http/openapi-spec.js';
import { registerResponseValidation } from './http/response-validation.js';

export interface AppDeps {
  db: Db;
  /** Where log lines go (one JSON object per line); standard output when absent. Tests capture them. */
  logStream?: { write(line: string): void };
}

/** Builds the API from its config and database. It never listens: server.ts does, and tests use `inject`. */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const spec = await loadSpec();
  const app = Fastify({
    logger: deps.logStream ? { level: config.logLevel, stream: deps.logStream } : { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: false, caseSensitive: true },
  });

  // JSON and JSON Merge Patch bodies are parsed by Fastify's own JSON parser (which guards against prototype
  // poisoning); every other body type, text/plain included, is refused with 415.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );

  registerErrorHandling(app);
  registerResponseValidation(app, spec, config.responseValidation);
  await registerDocs(app, spec);
  bindOperations(app, { spec, handlers, db: deps.db, cursors: new CursorCodec(config.cursorSecret) });
  return app;
}
