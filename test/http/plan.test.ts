import type { FastifyRequest } from 'fastify';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type OperationId, operations } from '../../generated/operations.js';
import { handlers } from '../../src/handlers.js';
import type { BindingDeps } from '../../src/http/bind-operations.js';
import { loadSpec } from '../../src/http/openapi-spec.js';
import { planOf } from '../../src/http/plan.js';
import { problem } from '../../src/http/problem.js';
import { exchangeOf } from '../../src/http/steps/exchange.js';
import { judgeOrigin } from '../../src/http/steps/judge-origin.js';
import { freshDatabase } from '../helpers/fresh-database.js';

const spec = await loadSpec();
const database = await freshDatabase(':memory:');
afterAll(() => database.drop());

/** Enough of the binding's dependencies to build plans; nothing here runs unless a test calls it. */
function depsWith(overrides: Partial<BindingDeps> = {}): BindingDeps {
  return {
    spec,
    handlers,
    db: database.db,
    securitySchemes: { bearerAuth: async () => ({ ok: false, reply: problem(401, 'no') }) },
    authorize: async () => 'allowed',
    publicUrl: undefined,
    allowedHosts: undefined,
    requireIfMatch: false,
    runOnce: async () => ({ kind: 'mismatch' }),
    ...overrides,
  } as BindingDeps;
}

const judgeHost = judgeOrigin(undefined, undefined);
const stepsOf = (id: OperationId) => planOf(id, depsWith(), judgeHost).steps.map((step) => step.name);

describe('the plan of an operation', () => {
  it.each<[OperationId, string[]]>([
    ['checkLiveness', ['validateInput']],
    ['listStores', ['judgeHost', 'validateInput']],
    ['getStore', ['refuseEmpty', 'judgeHost', 'validateInput']],
    ['createStore', ['authenticateRequest', 'judgeHost', 'checkBodyType', 'validateInput']],
    [
      'updateStore',
      ['refuseEmpty', 'authenticateRequest', 'judgeHost', 'checkBodyType', 'validateInput', 'checkOwner'],
    ],
  ])('%s has only the steps that apply to it', (id, steps) => {
    expect(stepsOf(id)).toEqual(steps);
  });

  it('follows the generated table for every operation', () => {
    for (const id of Object.keys(operations) as OperationId[]) {
      const operation = operations[id];
      const steps = stepsOf(id);
      expect(steps.includes('refuseEmpty'), id).toBe(operation.pathParameters.length > 0);
      expect(steps.includes('authenticateRequest'), id).toBe(operation.secured);
      expect(steps.includes('checkBodyType'), id).toBe(operation.requestBody !== null);
      expect(steps.includes('checkOwner'), id).toBe(operation.ownership !== null);
      expect(steps.at(-1 - (operation.ownership ? 1 : 0)), id).toBe('validateInput');
    }
  });

  it('compares If-Match with the representation of the reader the plan names, and changes nothing on 412', async () => {
    expect(operations.updateStore.ifMatchReader).toBe('getStore');
    const current = { id: 'x', name: 'current', ownerId: null, createdAt: 't', updatedAt: 't' };
    const getStore = vi.fn(async () => ({ status: 200, body: current }));
    const updateStore = vi.fn(async () => ({ status: 200, body: {} }));
    const plan = planOf(
      'updateStore',
      depsWith({ handlers: { ...handlers, getStore, updateStore } as unknown as BindingDeps['handlers'] }),
      judgeHost,
    );
    const request = {
      headers: { 'if-match': '"not-the-current-tag"' },
      params: { storeId: 'x' },
      query: {},
      body: {},
      log: console,
    } as unknown as FastifyRequest;
    const answer = await plan.run(exchangeOf(request, true));
    expect(answer.status).toBe(412);
    expect(getStore).toHaveBeenCalledOnce();
    expect(updateStore).not.toHaveBeenCalled();
  });
});
