import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { accepts } from '../negotiation.js';
import { problem } from '../problem.js';
import type { AnyReply } from '../send-reply.js';
import type { Exchange } from '../steps/exchange.js';
import type { Runner, Work } from './work.js';

/**
 * Accept weighed against what a success would carry. When it leaves no room for it, the answer the request earns
 * (a 404, say) still goes out; a success it would earn is a 406 instead, and a change is rolled back, so a client
 * that cannot read the answer is never left unsure of it.
 */
export function negotiated(answersWith: readonly string[], safe: boolean, work: Work, db: Db, run: Runner): Runner {
  const refusal = `This operation answers with ${answersWith.join(' or ')} only.`;
  const refuse = async (exchange: Exchange): Promise<AnyReply> => {
    const earned = safe ? await work(exchange, db) : await withoutEffect(db, (trx) => work(exchange, trx));
    return earned.status < 300 ? problem(406, refusal) : earned;
  };
  // Not async itself: the usual request, whose Accept allows the answer, goes straight on to its runner.
  return (exchange) => (accepts(exchange.request.headers.accept, answersWith) ? run(exchange) : refuse(exchange));
}

const rollback = Symbol('rollback');

/** What `work` answers, in a transaction that is then rolled back: the answer without its effect. */
export async function withoutEffect(db: Db, work: (trx: Db) => Promise<AnyReply>): Promise<AnyReply> {
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
