import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Handlers, type OperationId, operations } from '../../generated/operations.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { Lifecycle } from '../health/lifecycle.js';
import { etagOf, matches } from './conditional.js';
import { type AuthSettings, createContext, type HandlerContext, originOf } from './context.js';
import type { CursorCodec } from './cursor.js';
import { announceDeprecation } from './deprecation.js';
import { accepts } from './negotiation.js';
import type { LoadedSpec } from './openapi-spec.js';
import type { Principal } from './principal.js';
import { forbidden, problem, validationFailed } from './problem.js';
import { type RequestInput, requestValidator } from './request-validator.js';
import { type Authorize, type SecurityScheme, securityFor } from './security.js';
import { type AnyReply, send } from './send-reply.js';
import { bodySerializer, type Serialize } from './serializers.js';

type Operation = (typeof operations)[OperationId];

const probeOrigin = { ok: true as const, origin: 'http://localhost' };

type AnyHandler = (request: unknown, ctx: HandlerContext) => Promise<AnyReply>;

export interface BindingDeps {
  spec: LoadedSpec;
  handlers: Handlers<HandlerContext, Principal>;
  db: Db;
  cursors: CursorCodec;
  /** One implementation per scheme in `components.securitySchemes`, by name. */
  securitySchemes: Record<string, SecurityScheme>;
  authorize: Authorize;
  auth: AuthSettings;
  publicUrl: string | undefined;
  /** Hosts whose Host header may make links (see `originOf`); undefined: any, as PUBLIC_URL makes them all. */
  allowedHosts: readonly string[] | undefined;
  requireIfMatch: boolean;
  /** Runs a create at most once per caller, operation and Idempotency-Key (see src/idempotency/run-once.ts). */
  runOnce: RunOnce;
  lifecycle: Lifecycle;
}

export type RunOnce = (
  request: { scope: string; key: string; operationId: string; fingerprint: unknown },
  work: (db: Db) => Promise<AnyReply>,
) => Promise<{ kind: 'answer'; answer: AnyReply } | { kind: 'in-flight'; retryAfter: number } | { kind: 'mismatch' }>;

/**
 * Registers one Fastify route per operation in openapi.yaml, so routing is done once by Fastify's router.
 * Each route checks the body's media type, runs the validators compiled at start-up, calls the typed handler
 * and sends its reply with the media type the spec declares for that status.
 */
export function bindOperations(app: FastifyInstance, deps: BindingDeps): void {
  for (const operationId of Object.keys(operations) as OperationId[]) {
    const operation: Operation = operations[operationId];
    const validate = requestValidator(deps.spec.backend, operationId);
    const serialize = bodySerializer(deps.spec.backend, operationId);
    const headerNames = headerParameterNames(deps.spec, operationId);
    // The generated Handlers type has already checked each handler against its own operation; here they are
    // all driven through one code path, so the specific types give way to their common shape.
    const handler = deps.handlers[operationId] as AnyHandler;
    // A change that honours If-Match reads the current representation from the GET on the same path.
    const guardedBy = headerNames.includes('If-Match') ? readerOf(operation, deps) : undefined;
    const idempotent = headerNames.includes('Idempotency-Key');
    // Accept is weighed against what a success would carry, and nothing else (RFC 9110 §12.5.1): an operation
    // whose success has no content never answers 406, and errors are problem+json whatever Accept says.
    const successTypes = [
      ...new Set(
        Object.entries(operation.responses as Record<number, { contentType: string | null }>)
          .filter(([status]) => Number(status) < 300)
          .map(([, response]) => response.contentType),
      ),
    ].filter((type): type is string => type !== null);
    const safe = operation.method === 'GET';
    const authenticate = securityFor(operation, deps.securitySchemes);
    const pathParameters = [...operation.route.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
    const probe = operation.route === '/healthz' || operation.route === '/readyz';
    const rateLimit = operation.rateLimit && {
      max: operation.rateLimit.max,
      timeWindow: operation.rateLimit.window * 1000,
    };

    app.route({
      method: operation.method,
      url: operation.route,
      config: { operationId, ...(rateLimit && { rateLimit }) },
      // A body sent to an operation that takes none is refused before it is read (so never a 413 or 415 there),
      // so there is nothing to decompress either. A Content-Type without a body says nothing; left in place,
      // Fastify would try to parse the empty body by that type and answer 415 or 400 for a request that is fine.
      ...(!operation.requestBody && {
        decompress: false,
        onRequest: (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
          if (hasBody(request)) send(reply, operation, problem(400, 'This operation takes no request body.'));
          else {
            if (request.headers['content-type'] !== undefined) delete request.headers['content-type'];
            done();
          }
        },
      }),
      handler: async (request, reply) => {
        announceDeprecation(reply, request, operation.deprecation);
        // `/stores/` matches `/stores/:storeId` with an empty id; it names nothing, like any unknown path.
        const params = request.params as Record<string, string>;
        for (const name of pathParameters) if (params[name] === '') return reply.callNotFound();
        const acceptable = successTypes.length === 0 || accepts(request.headers.accept, successTypes);
        const authentication = authenticate && (await authenticate(request));
        if (authentication && !authentication.ok) return send(reply, operation, authentication.reply);
        const principal = authentication?.principal;
        // Health probes come with whatever Host the orchestrator uses, and their answers carry no links.
        const judged = probe ? probeOrigin : originOf(request, deps.publicUrl, deps.allowedHosts);
        if (!judged.ok) return send(reply, operation, problem(400, judged.detail));
        const { origin } = judged;
        const mediaTypeProblem = checkMediaType(operation, request);
        if (mediaTypeProblem) return send(reply, operation, mediaTypeProblem);
        const input: RequestInput = {
          path: { ...(request.params as object) },
          query: { ...(request.query as object) },
          header: request.headers,
        };
        if (operation.requestBody) input.requestBody = request.body;
        const issues = validate(input);
        if (issues.length > 0) return send(reply, operation, validationFailed(issues));

        if (operation.ownership && principal) {
          const { of, from } = operation.ownership;
          const id = String(
            (from.in === 'path' ? input.path : (input.requestBody as Record<string, unknown>))[from.name],
          );
          if ((await deps.authorize(principal, of, id)) === 'forbidden') {
            return send(reply, operation, forbidden(`Only the owner of this ${of} or an admin may do this.`));
          }
        }

        const typedRequest = {
          path: input.path,
          query: input.query,
          headers: headerNames.length === 0 ? {} : headersOf(input.header, headerNames),
          body: input.requestBody,
          principal,
        };
        const run = (db: Db) => handler(typedRequest, createContext(request, origin, deps, db));
        const ifMatch = request.headers['if-match'];
        const change = (db: Db): Promise<AnyReply> => {
          if (guardedBy && ifMatch === undefined && deps.requireIfMatch) {
            return Promise.resolve(problem(428, 'Send If-Match with the ETag you last saw to change this.'));
          }
          if (guardedBy && ifMatch !== undefined) {
            const readCurrent = (trx: Db) =>
              guardedBy.read(
                { path: input.path, query: {}, headers: {}, principal },
                createContext(request, origin, deps, trx),
              );
            return runIfMatch(db, ifMatch, readCurrent, run, guardedBy.serialize);
          }
          return run(db);
        };

        if (!acceptable) {
          // The answer the request earns, a 404 say, still goes out; a success it would earn is a 406 instead,
          // and a change is rolled back, so a client that cannot read the answer is never left unsure of it.
          const earned = safe ? await change(deps.db) : await withoutEffect(deps.db, change);
          const refused = earned.status < 300 && `This operation answers with ${successTypes.join(' or ')} only.`;
          return send(reply, operation, refused ? problem(406, refused) : earned, request, serialize);
        }
        const key = request.headers['idempotency-key'];
        const result =
          idempotent && typeof key === 'string'
            ? await runIdempotently(
                deps.runOnce,
                { scope: principal ? `user:${principal.userId}` : `client:${request.ip}`, key, operationId, input },
                run,
              )
            : await change(deps.db);
        return send(reply, operation, result, request, serialize);
      },
    });
  }
}

/** A create with an Idempotency-Key: the first answer for this caller and key, or why there is none yet. */
async function runIdempotently(
  runOnce: RunOnce,
  request: { scope: string; key: string; operationId: string; input: RequestInput },
  run: (db: Db) => Promise<AnyReply>,
): Promise<AnyReply> {
  const { scope, key, operationId, input } = request;
  const fingerprint = [input.path, input.requestBody];
  const outcome = await runOnce({ scope, key: key.replace(/^"(.*)"$/, '$1'), operationId, fingerprint }, run);
  if (outcome.kind === 'mismatch')
    return problem(422, 'This Idempotency-Key was used with another request. Use a new key.');
  if (outcome.kind === 'in-flight')
    return {
      ...problem(409, 'The request with this Idempotency-Key is still running. Retry after Retry-After seconds.'),
      headers: { 'Retry-After': outcome.retryAfter },
    };
  return outcome.answer;
}

const rollback = Symbol('rollback');

/** What `work` answers, in a transaction that is then rolled back: the answer without its effect. */
async function withoutEffect(db: Db, work: (trx: Db) => Promise<AnyReply>): Promise<AnyReply> {
  let answer: AnyReply | undefined;
  try {
    await inTransaction(db, async (trx) => {
      answer = await work(trx);
      throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return answer as AnyReply;
}

/**
 * A change with If-Match. The precondition and the change share one serializable transaction, so of two clients
 * holding the same ETag only one can change the resource, on any instance; the other finds a new ETag and gets 412. Preconditions count only
 * where the answer would otherwise be a success (RFC 9110 §13.2.1): a missing resource is still 404.
 */
function runIfMatch(
  db: Db,
  ifMatch: string,
  readCurrent: (db: Db) => Promise<AnyReply>,
  run: (db: Db) => Promise<AnyReply>,
  serialize: Serialize,
): Promise<AnyReply> {
  return inTransaction(db, async (trx) => {
    const current = await readCurrent(trx);
    if (current.status === 200 && !matches(ifMatch, etagOf(serialize(200, current.body)))) {
      return problem(412, 'The resource has changed since the ETag you sent (or the tag is weak). GET it again.');
    }
    return run(trx);
  });
}

/**
 * The handler of the GET on the same path as a change, and its serializer: they give the representation, and so
 * the ETag, an If-Match is about.
 */
function readerOf(operation: Operation, deps: BindingDeps): { read: AnyHandler; serialize: Serialize } {
  const reader = (Object.keys(operations) as OperationId[]).find(
    (id) => operations[id].route === operation.route && operations[id].method === 'GET',
  );
  if (!reader) throw new Error(`${operation.path} honours If-Match but has no GET to read its representation`);
  return { read: deps.handlers[reader] as AnyHandler, serialize: bodySerializer(deps.spec.backend, reader) };
}

function headersOf(header: RequestInput['header'], names: string[]): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const name of names) headers[name] = header[name.toLowerCase()];
  return headers;
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

function checkMediaType(operation: Operation, request: FastifyRequest): AnyReply | undefined {
  const body = operation.requestBody;
  if (!body || request.body === undefined) return undefined;
  const essence = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (essence === body.contentType) return undefined;
  return problem(415, `This operation takes a body of type ${body.contentType}, not ${essence || 'an untyped body'}.`);
}

function headerParameterNames(spec: LoadedSpec, operationId: string): string[] {
  const parameters = spec.backend.getOperation(operationId)?.parameters ?? [];
  return parameters.flatMap((p) => ('in' in p && p.in === 'header' ? [p.name] : []));
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on every route bound to an operation of openapi.yaml. */
    operationId?: OperationId;
  }
}
