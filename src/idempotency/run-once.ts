import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { keyedHash } from '../secrets/server-secrets.js';
import { claim, find, type IdempotencyRow, record, release } from './repository.js';

export interface Answer {
  status: number;
  headers?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

export type Outcome = { kind: 'answer'; answer: Answer } | { kind: 'in-flight' } | { kind: 'mismatch' };

/** How long a key is kept to replay its answer; clients are told in the spec. */
export const keyLifetimeMs = 24 * 60 * 60 * 1000;
/** How long a duplicate waits for the first request's answer before it is told the first is still running. */
const waitMs = 5_000;
/** A claim still pending after this long belonged to a request that died (a crash, a kill): it may be taken over. */
const abandonedMs = 60_000;

/**
 * Runs `work` once per (scope, key). The claim is committed first, so duplicates see it; the work and its
 * recorded answer then commit together, so a crash leaves neither (and the claim is taken over later).
 * A duplicate with the same request waits for the answer and replays it; with another request it is refused.
 * The fingerprint is an HMAC keyed by a server secret: a body holding a password leaves nothing in the table
 * that could be tested against guesses.
 */
export async function runOnce(
  db: Db,
  request: { scope: string; key: string; operationId: string; fingerprint: unknown },
  work: (db: Db) => Promise<Answer>,
  fingerprintKey: Buffer,
): Promise<Outcome> {
  const fingerprint = keyedHash(fingerprintKey, JSON.stringify(request.fingerprint));
  const { scope, key } = request;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const now = new Date();
    const row: IdempotencyRow = {
      scope,
      key,
      operation_id: request.operationId,
      fingerprint,
      status: null,
      headers: null,
      body: null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + keyLifetimeMs).toISOString(),
    };
    if (await claim(db, row, row.created_at)) {
      try {
        const answer = await inTransaction(db, async (trx) => {
          const result = await work(trx);
          await record(trx, scope, key, {
            status: result.status,
            headers: JSON.stringify(result.headers ?? {}),
            body: result.body === undefined ? null : JSON.stringify(result.body),
          });
          return result;
        });
        return { kind: 'answer', answer };
      } catch (error) {
        await release(db, scope, key);
        throw error;
      }
    }
    const held = await find(db, scope, key);
    if (!held) continue;
    if (held.fingerprint !== fingerprint || held.operation_id !== request.operationId) return { kind: 'mismatch' };
    if (held.status !== null) return { kind: 'answer', answer: replay(held) };
    if (Date.now() - Date.parse(held.created_at) > abandonedMs) {
      await release(db, scope, key);
      continue;
    }
    if (Date.now() >= deadline) return { kind: 'in-flight' };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function replay(row: IdempotencyRow): Answer {
  return {
    status: Number(row.status),
    headers: JSON.parse(row.headers ?? '{}') as Record<string, string | number | boolean | undefined>,
    ...(row.body !== null && { body: JSON.parse(row.body) as unknown }),
  };
}
