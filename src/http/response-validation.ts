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
  const check = contractOf(spec);
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

/**
 * The contract's checks, compiled once per loaded spec and shared by every app built on it: compiling them takes
 * about 280 ms (the closed schemas' `unevaluatedProperties` makes Ajv's code larger), and a test process builds
 * an app per test.
 */
const contracts = new WeakMap<LoadedSpec, ReturnType<typeof compileResponseContract>>();

function contractOf(spec: LoadedSpec): ReturnType<typeof compileResponseContract> {
  let check = contracts.get(spec);
  if (!check) {
    check = compileResponseContract(spec.backend);
    contracts.set(spec, check);
  }
  return check;
}
