import type { FastifyInstance } from 'fastify';
import { type Handlers, type OperationId, operations } from '../../generated/operations.js';
import type { Db } from '../db/database.js';
import type { Lifecycle } from '../health/lifecycle.js';
import type { AuthSettings, HandlerContext } from './context.js';
import type { CursorCodec } from './cursor.js';
import type { LoadedSpec } from './openapi-spec.js';
import { planOf } from './plan.js';
import type { Principal } from './principal.js';
import type { RunOnce } from './runners/idempotent.js';
import type { Authorize, SecurityScheme } from './security.js';
import { judgeOrigin } from './steps/judge-origin.js';
import { refuseBody } from './steps/refuse-body.js';

export type { RunOnce } from './runners/idempotent.js';

export interface BindingDeps {
  /** The spec: openapi-backend compiles each operation's request validators from it (the only spec fact read at run time). */
  spec: LoadedSpec;
  handlers: Handlers<HandlerContext, Principal>;
  db: Db;
  cursors: CursorCodec;
  /** One implementation per scheme in `components.securitySchemes`, by name. */
  securitySchemes: Record<string, SecurityScheme>;
  authorize: Authorize;
  auth: AuthSettings;
  publicUrl: string | undefined;
  /** Hosts whose Host header may make links (see `originJudge`); undefined: any, as PUBLIC_URL makes them all. */
  allowedHosts: readonly string[] | undefined;
  requireIfMatch: boolean;
  /** Runs a create at most once per caller, operation and Idempotency-Key (see src/idempotency/run-once.ts). */
  runOnce: RunOnce;
  lifecycle: Lifecycle;
}

/**
 * Registers one Fastify route per operation in openapi.yaml, so routing is done once by Fastify's router. Each
 * route runs its operation's plan (src/http/plan.ts), built here once from generated/operations.ts.
 */
export function bindOperations(app: FastifyInstance, deps: BindingDeps): void {
  const judgeHost = judgeOrigin(deps.publicUrl, deps.allowedHosts);
  for (const operationId of Object.keys(operations) as OperationId[]) {
    const operation = operations[operationId];
    const plan = planOf(operationId, deps, judgeHost);
    const rateLimit = operation.rateLimit && {
      max: operation.rateLimit.max,
      timeWindow: operation.rateLimit.window * 1000,
    };
    app.route({
      method: operation.method,
      url: operation.route,
      config: { operationId, ...(rateLimit && { rateLimit }) },
      // Without a body there is nothing to decompress either.
      ...(!operation.requestBody && { decompress: false, onRequest: refuseBody(plan.replies) }),
      handler: plan.handle,
    });
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on every route bound to an operation of openapi.yaml. */
    operationId?: OperationId;
  }
}
