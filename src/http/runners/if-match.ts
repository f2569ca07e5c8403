import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { matchesCurrent } from '../conditional.js';
import { problem } from '../problem.js';
import type { Work } from './work.js';

/**
 * A change that honours If-Match. The precondition and the change share one serializable transaction, so of two
 * clients holding the same ETag only one can change the resource, on any instance; the other finds a new ETag and
 * gets 412. Preconditions count only where the answer would otherwise be a success (RFC 9110 §13.2.1): a missing
 * resource is still 404. Without If-Match the change runs as is, unless `requireIfMatch` asks for one (428).
 */
export function guardedByIfMatch(change: Work, readCurrent: Work, requireIfMatch: boolean): Work {
  return (exchange, db: Db) => {
    const ifMatch = exchange.request.headers['if-match'];
    if (ifMatch === undefined) {
      return requireIfMatch
        ? Promise.resolve(problem(428, 'Send If-Match with the ETag you last saw to change this.'))
        : change(exchange, db);
    }
    return inTransaction(db, async (trx) => {
      const current = await readCurrent(exchange, trx);
      if (current.status === 200 && !matchesCurrent(ifMatch, JSON.stringify(current.body))) {
        return problem(412, 'The resource has changed since the ETag you sent (or the tag is weak). GET it again.');
      }
      return change(exchange, trx);
    });
  };
}
