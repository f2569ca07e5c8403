import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { authenticateBearer } from './auth/authenticate.js';
import { authorize } from './auth/authorize.js';
import { decoyHash } from './auth/passwords.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { handlers } from './handlers.js';
import { Lifecycle } from './health/lifecycle.js';
import { type BindingDeps, bindOperations } from './http/bind-operations.js';
import { CursorCodec } from './http/cursor.js';
import { registerDocs } from './http/docs.js';
import { registerErrorHandling } from './http/error-handling.js';
import { registerHttpLayer } from './http/http-layer.js';
import { registerJsonBodies } from './http/json-bodies.js';
import { registerLandingPage } from './http/landing-page.js';
import { registerLoadShedding } from './http/load-shedding.js';
import { serializeRequest } from './http/log-redaction.js';
import { loadSpec } from './http/openapi-spec.js';
import { malformed, problem } from './http/problem.js';
import { requestIdFrom } from './http/request-id.js';
import { registerResponseValidation } from './http/response-validation.js';
import { sendProblem } from './http/send-problem.js';
import { registerBodyTimeout, serverTimeouts } from './http/timeouts.js';
import { startIdempotencyPurge } from './idempotency/purge-timer.js';
import { runOnce } from './idempotency/run-once.js';
import { batchedStdout, type LogDestination } from './observability/log-destination.js';
import { lazyRequestLogger } from './observability/request-logger.js';
import { notePrincipal, registerRequestObserver } from './observability/request-observer.js';
import { databaseStore } from './rate-limits/database-store.js';
import { startLimitPurge } from './rate-limits/purge-timer.js';
import { KeptSecrets } from './secrets/server-secrets.js';

export interface AppDeps {
  db: Db;
  /** Where log lines go (one JSON object per line); standard output when absent. Tests capture them. */
  logStream?: LogDestination;
  /** Where the instance is in its life; the process moves it on shutdown, readiness and load shedding read it. */
  lifecycle?: Lifecycle;
  /** The signing secrets; server.ts passes its own, to load them once the database answers. */
  secrets?: KeptSecrets;
  /**
   * Replaces the handlers, the security schemes and the ownership rule, keeping everything else (routing,
   * validation, the HTTP layer, the response contract): the mock server (src/mock/) answers from examples so.
   */
  operations?: Pick<BindingDeps, 'handlers' | 'securitySchemes' | 'authorize'>;
}

/** Builds the API from its config and database. It never listens: server.ts does, and tests use `inject`. */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const spec = await loadSpec();
  // Read now, unless the server is still starting: it then loads them once the database answers.
  const secrets = deps.secrets ?? new KeptSecrets(deps.db, config);
  if (deps.lifecycle?.state !== 'starting') await secrets.load();
  const logDestination = deps.logStream ?? batchedStdout();
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Nothing secret is logged: the request serializer leaves out headers, bodies and credentials in the URL,
      // no log line carries a body, and every test checks its logs for the passwords and tokens it used. These
      // paths keep it so if a body is ever logged. They are named in full: a wildcard path (`*.password`) runs
      // the redactor over every request's logger bindings, about 3 µs a request.
      redact: {
        paths: ['body.password', 'body.accessToken', 'body.refreshToken'],
        censor: '[redacted]',
      },
      serializers: { req: serializeRequest },
      // Standard output, written synchronously in batches (observability/log-destination.ts): pino's asynchronous
      // destination measured dearer (each write goes through libuv's thread pool), and its synchronous one with
      // batching copies the whole pending text at every line.
      stream: logDestination,
    },
    // One access-log line per request, written when it is answered (src/observability/), instead of two.
    logController: new LogController({ disableRequestLogging: true }),
    // Each request's logger (with its id) is made only if the request logs a line.
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: config.bodyLimit,
    ...serverTimeouts(config),
    // Fastify's own 503 during close is not problem+json; load shedding answers those requests instead.
    return503OnClosing: false,
    trustProxy: config.trustProxy,
    genReqId: (request) => requestIdFrom(request.headers['x-request-id'], randomUUID),
    // Ids are at most 64 characters, but a longer one must still reach validation, which answers the 400 every
    // operation declares and names the parameter; only a path segment longer than any URL we issue is 414.
    routerOptions: { ignoreTrailingSlash: false, caseSensitive: true, maxParamLength: 2048 },
    frameworkErrors: (error, request, reply) => {
      const tooLong = error.code === 'FST_ERR_ROUTE_PARAM_TOO_LONG' || error.statusCode === 414;
      sendProblem(
        reply.header('x-request-id', request.id),
        tooLong ? problem(414, 'A path segment is too long.') : malformed(`The URL is not valid: ${error.message}`),
      );
    },
  });

  registerRequestObserver(app, logDestination);

  if (config.jwtSecret === undefined || config.cursorSecret === undefined) {
    app.log.info(
      { kept: 'server_secrets table' },
      'JWT_SECRET or CURSOR_SECRET is unset: signing with a random secret made on first start and kept in the database',
    );
  }
  registerJsonBodies(app);
  // A hook of every request, the 404 handler's included; Fastify runs it before each route's own preParsing
  // hooks, so before the HTTP layer's decompression: it watches the bytes as they arrive.
  registerBodyTimeout(app, config.bodyTimeout);
  await registerHttpLayer(app, config.corsOrigins);
  registerErrorHandling(app);
  const lifecycle = deps.lifecycle ?? new Lifecycle();
  await registerLoadShedding(app, lifecycle, config);
  registerResponseValidation(app, spec, config.responseValidation);
  await registerDocs(app, spec);
  registerLandingPage(app, spec);
  // Only operations with `x-rate-limit` in the spec are limited; the binding passes each one's limit on. The
  // counts are in the database, shared by every instance (src/rate-limits/).
  await app.register(rateLimit, {
    global: false,
    store: databaseStore(deps.db),
    enableDraftSpec: true,
    addHeadersOnExceeding: { 'ratelimit-limit': false, 'ratelimit-remaining': false, 'ratelimit-reset': false },
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`Too many requests from this client; try again in ${context.after}.`), {
        statusCode: 429,
      }),
  });
  const { db } = deps;
  const operations: Pick<BindingDeps, 'handlers' | 'securitySchemes' | 'authorize'> = {
    handlers,
    securitySchemes: {
      bearerAuth: async (request) => {
        const outcome = await authenticateBearer(request, db, secrets.jwtSecret, config.accessTokenTtl);
        return outcome.ok ? outcome : { ok: false, reply: outcome.reply };
      },
    },
    authorize: (principal, of, id) => authorize(db, principal, of as Parameters<typeof authorize>[2], id),
    ...deps.operations,
  };
  bindOperations(app, {
    spec,
    db,
    cursors: new CursorCodec(secrets),
    handlers: operations.handlers,
    securitySchemes: notingPrincipals(operations.securitySchemes),
    authorize: operations.authorize,
    auth: {
      config: {
        ...config,
        get jwtSecret() {
          return secrets.jwtSecret;
        },
      },
      get hashKey() {
        return secrets.hashKey;
      },
      decoyHash: decoyHash(config.passwordHashCost),
    },
    publicUrl: config.publicUrl,
    allowedHosts: config.allowedHosts,
    requireIfMatch: config.requireIfMatch,
    runOnce: (request, work) => runOnce(db, request, work, secrets.hashKey),
    lifecycle,
  });
  startIdempotencyPurge(app, db, config.idempotencyPurgeInterval);
  startLimitPurge(app, db, config.rateLimitPurgeInterval);
  return app;
}

/** Each security scheme as given, also noting the principal it establishes for the access log and the span. */
function notingPrincipals(schemes: BindingDeps['securitySchemes']): BindingDeps['securitySchemes'] {
  return Object.fromEntries(
    Object.entries(schemes).map(([name, scheme]) => [
      name,
      async (request: Parameters<typeof scheme>[0]) => {
        const outcome = await scheme(request);
        if (outcome.ok) notePrincipal(request, outcome.principal.userId);
        return outcome;
      },
    ]),
  );
}
