import { databaseNow } from '../db/clock.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { keyedHash } from '../secrets/server-secrets.js';
import { claim, find, type IdempotencyRow, record, release } from './repository.js';

export interface Answer {
  status: number;
  headers?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

export type Outcome =
  | { kind: 'answer'; answer: Answer }
  | { kind: 'in-flight'; retryAfter: number }
  | { kind: 'mismatch' };

/** How long a key is kept to replay its answer; clients are told in the spec. */
export const keyLifetimeMs = 24 * 60 * 60 * 1000;
/** How long a duplicate waits for the first request's answer before it is told the first is still running. */
const waitMs = 5_000;
/**
 * A claim still pending after this long belonged to a request that died (a crash, a kill) and may be taken over.
 * A request's work is bounded well below it (statement and lock timeouts); and should one still be running, its
 * answer is recorded only on its own claim, so a takeover can never make the work count twice.
 */
export const abandonedMs = 10_000;

/** Raised inside the work's transaction when the claim was taken over meanwhile: the work rolls back. */
class ClaimTakenOver extends Error {}

/**
 * Runs `work` once per caller, operation and key: a key names one request to one operation, so the same key sent
 * to another operation is another request (one example key in the docs serves every create). The claim is committed first, so duplicates see it; the work and its
 * recorded answer then commit together, so a crash leaves neither (and the claim is taken over later), and a
 * failure releases the claim. A duplicate with the same request waits for the answer and replays it; with another
 * request it is refused. Every time compared here is the database's, so instances whose clocks differ agree.
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
  const { key } = request;
  // The table's key is (scope, key): the operation joins the caller's scope there.
  const scope = `${request.scope} ${request.operationId}`;
  const deadline = performance.now() + waitMs;
  for (;;) {
    const now = await databaseNow(db);
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
          const recorded = await record(trx, scope, key, row.created_at, {
            status: result.status,
            headers: JSON.stringify(result.headers ?? {}),
            body: result.body === undefined ? null : JSON.stringify(result.body),
          });
          if (!recorded) throw new ClaimTakenOver();
          return result;
        });
        return { kind: 'answer', answer };
      } catch (error) {
        if (error instanceof ClaimTakenOver) continue;
        // If even the release fails (the database went away), the claim is taken over once abandoned.
        await release(db, scope, key, row.created_at).catch(() => undefined);
        throw error;
      }
    }
    const held = await find(db, scope, key);
    if (!held) continue;
    if (held.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (held.status !== null) return { kind: 'answer', answer: replay(held) };
    const age = now.getTime() - Date.parse(held.created_at);
    if (age > abandonedMs) {
      await release(db, scope, key, held.created_at);
      continue;
    }
    if (performance.now() >= deadline) {
      return { kind: 'in-flight', retryAfter: Math.max(1, Math.ceil((abandonedMs - age) / 1000)) };
    }
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
