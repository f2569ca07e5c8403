import type { FastifyReply, FastifyRequest } from 'fastify';
import { type OperationId, operations } from '../../generated/operations.js';
import type { BindingDeps } from './bind-operations.js';
import { announceDeprecation } from './deprecation.js';
import { requestValidator } from './request-validator.js';
import { idempotent } from './runners/idempotent.js';
import { guardedByIfMatch } from './runners/if-match.js';
import { negotiated } from './runners/negotiated.js';
import { type AnyHandler, callHandler, callReader, type Runner } from './runners/work.js';
import { securityFor } from './security.js';
import { type ReplyPlan, replyPlanOf, send } from './send-reply.js';
import { authenticate } from './steps/authenticate.js';
import { checkMediaType } from './steps/check-media-type.js';
import { checkOwnership } from './steps/check-ownership.js';
import { exchangeOf, type Step, unrouted } from './steps/exchange.js';
import { refuseEmptyPathParameter } from './steps/refuse-empty-path-parameter.js';
import { validateRequest } from './steps/validate-request.js';

/** How one operation answers: the steps that apply to it, in order, then its one runner; made at start-up. */
export interface Plan {
  readonly steps: readonly Step[];
  readonly run: Runner;
  readonly replies: ReplyPlan;
  /** The route's handler: runs the steps and the runner, and sends the answer as the spec declares it. */
  readonly handle: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
}

/** Health probes answer whatever Host the orchestrator sends; their answers carry no links. */
const probes = new Set(['/healthz', '/readyz']);

/** `judgeHost` is shared by every plan, so that each Host is judged once for the whole API (judge-origin.ts). */
export function planOf(operationId: OperationId, deps: BindingDeps, judgeHost: Step): Plan {
  const operation = operations[operationId];
  const replies = replyPlanOf(operation);
  const authenticateWith = securityFor(operation, deps.securitySchemes);

  const steps: Step[] = [];
  if (operation.pathParameters.length > 0) steps.push(refuseEmptyPathParameter(operation.pathParameters));
  if (authenticateWith) steps.push(authenticate(authenticateWith));
  if (!probes.has(operation.route)) steps.push(judgeHost);
  if (operation.requestBody) steps.push(checkMediaType(operation.requestBody.contentType));
  steps.push(validateRequest(requestValidator(deps.spec.backend, operationId)));
  if (operation.ownership) steps.push(checkOwnership(operation.ownership, deps.authorize));

  // The generated Handlers type has already checked each handler against its own operation; here they are all
  // driven through one code path, so the specific types give way to their common shape.
  const call = callHandler(deps.handlers[operationId] as AnyHandler, operation.headerParameters, deps);
  const reader = operation.ifMatchReader;
  const work = reader
    ? guardedByIfMatch(call, callReader(deps.handlers[reader] as AnyHandler, deps), deps.requireIfMatch)
    : call;
  let run: Runner = operation.idempotent
    ? idempotent(call, deps.runOnce, operationId, deps.db)
    : (exchange) => work(exchange, deps.db);
  if (operation.answersWith.length > 0) {
    run = negotiated(operation.answersWith, operation.method === 'GET', work, deps.db, run);
  }

  const takesBody = operation.requestBody !== null;
  const { deprecation } = operation;
  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (deprecation) announceDeprecation(reply, request, deprecation);
    const exchange = exchangeOf(request, takesBody);
    for (const step of steps) {
      const outcome = step(exchange);
      const stop = outcome instanceof Promise ? await outcome : outcome;
      if (stop === unrouted) {
        reply.callNotFound();
        return undefined;
      }
      if (stop !== undefined) return send(reply, replies, stop);
    }
    return send(reply, replies, await run(exchange), request);
  };
  return { steps, run, replies, handle };
}
