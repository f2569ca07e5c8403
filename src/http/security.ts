import type { FastifyRequest } from 'fastify';
import type { OperationId, operations } from '../../generated/operations.js';
import type { Principal } from './principal.js';
import { problem } from './problem.js';

type Operation = (typeof operations)[OperationId];

/** An answer a scheme gives instead of a principal (a 401 with its challenge). */
interface Refusal {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A security scheme of the spec: establishes who is calling, or answers (401) why it cannot. */
export type SecurityScheme = (
  request: FastifyRequest,
) => Promise<{ ok: true; principal: Principal } | { ok: false; reply: Refusal }>;

/** Decides an operation's `x-ownership`: may this principal touch the resource of this kind with this id? */
export type Authorize = (principal: Principal, of: string, id: string) => Promise<'allowed' | 'forbidden' | 'unknown'>;

/**
 * Evaluates an operation's `security` as OpenAPI defines it: the requirements are alternatives, the schemes
 * within one requirement must all pass. Public operations (`security: []`) get no check at all.
 */
export function securityFor(operation: Operation, schemes: Record<string, SecurityScheme>): SecurityScheme | undefined {
  if (!operation.secured) return undefined;
  const requirements = operation.security.map((requirement) =>
    Object.keys(requirement).map((name) => {
      const scheme = schemes[name];
      if (!scheme) throw new Error(`${operation.path}: no implementation for security scheme ${name}`);
      return scheme;
    }),
  );
  return async (request) => {
    let firstFailure: Refusal | undefined;
    for (const requirement of requirements) {
      let principal: Principal | undefined;
      for (const scheme of requirement) {
        const outcome = await scheme(request);
        if (!outcome.ok) {
          firstFailure ??= outcome.reply;
          principal = undefined;
          break;
        }
        principal = outcome.principal;
      }
      if (principal) return { ok: true, principal };
    }
    return { ok: false, reply: firstFailure ?? problem(401, 'This operation needs an access token.') };
  };
}
