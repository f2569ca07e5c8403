import { forbidden } from '../problem.js';
import type { Authorize } from '../security.js';
import type { Step } from './exchange.js';

/** `x-ownership`: the caller must own the resource the request names, or be an admin (403 otherwise). */
export function checkOwnership(
  ownership: { of: string; from: { in: 'path' | 'body'; name: string } },
  authorize: Authorize,
): Step {
  const { of, from } = ownership;
  const refusal = `Only the owner of this ${of} or an admin may do this.`;
  return async function checkOwner(exchange) {
    const { principal, input } = exchange;
    if (!principal) return undefined;
    const source = from.in === 'path' ? input.path : (input.requestBody as Record<string, unknown>);
    const verdict = await authorize(principal, of, String(source[from.name]));
    return verdict === 'forbidden' ? forbidden(refusal) : undefined;
  };
}
