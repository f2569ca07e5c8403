import type { Db } from '../../db/database.js';
import { problem } from '../problem.js';
import type { AnyReply } from '../send-reply.js';
import type { Exchange } from '../steps/exchange.js';
import type { Runner, Work } from './work.js';

export type RunOnce = (
  request: { scope: string; key: string; operationId: string; fingerprint: unknown },
  work: (db: Db) => Promise<AnyReply>,
) => Promise<{ kind: 'answer'; answer: AnyReply } | { kind: 'in-flight'; retryAfter: number } | { kind: 'mismatch' }>;

/**
 * A create that honours Idempotency-Key: with a key, the first answer for this caller and key, or why there is
 * none yet; without one, the create runs as is.
 */
export function idempotent(create: Work, runOnce: RunOnce, operationId: string, db: Db): Runner {
  const once = async (exchange: Exchange, key: string): Promise<AnyReply> => {
    const { request, principal, input } = exchange;
    const scope = principal ? `user:${principal.userId}` : `client:${request.ip}`;
    const fingerprint = [input.path, input.requestBody];
    const outcome = await runOnce({ scope, key: key.replace(/^"(.*)"$/, '$1'), operationId, fingerprint }, (trx) =>
      create(exchange, trx),
    );
    if (outcome.kind === 'mismatch') {
      return problem(422, 'This Idempotency-Key was used with another request. Use a new key.');
    }
    if (outcome.kind === 'in-flight') {
      return {
        ...problem(409, 'The request with this Idempotency-Key is still running. Retry after Retry-After seconds.'),
        headers: { 'Retry-After': outcome.retryAfter },
      };
    }
    return outcome.answer;
  };
  return (exchange) => {
    const key = exchange.request.headers['idempotency-key'];
    return typeof key === 'string' ? once(exchange, key) : create(exchange, db);
  };
}
