import type { FastifyInstance } from 'fastify';
import type { ResponseValidation } from '../config.js';
import type { LoadedSpec } from './openapi-spec.js';
import { problem } from './problem.js';
import { compileResponseContract } from './response-contract.js';

/**
 * Checks every response against openapi.yaml before it leaves. `log` reports a breach as an error log line
 * (for production, when switched on); `strict` also replaces the response with a 500 problem that names the
 * breach, so any test that receives such a response fails (the test suite runs strict).
 */
export function registerResponseValidation(app: FastifyInstance, spec: LoadedSpec, mode: ResponseValidation): void {
  if (mode === 'off') return;
  const check = compileResponseContract(spec.backend);
  app.addHook('onSend', async (request, reply, payload) => {
    const operationId = request.routeOptions.config.operationId;
    if (operationId === undefined && reply.statusCode < 400) return payload;
    const broken = check({
      operationId,
      status: reply.statusCode,
      headers: reply.getHeaders(),
      payload: typeof payload === 'string' ? payload : undefined,
    });
    if (broken.length === 0) return payload;
    request.log.error({ operationId, status: reply.statusCode, broken }, 'response breaks the OpenAPI contract');
    if (mode === 'log') return payload;
    const failure = problem(500, `The response broke the OpenAPI contract: ${broken.join(' | ')}`.slice(0, 2000));
    reply.code(500).type('application/problem+json');
    return JSON.stringify({ ...failure.body, requestId: request.id });
  });
}
