import type { SecurityScheme } from '../security.js';
import type { Step } from './exchange.js';

/** The operation's `security`: establishes the principal, or answers 401 with the scheme's challenge. */
export function authenticate(scheme: SecurityScheme): Step {
  return async function authenticateRequest(exchange) {
    const outcome = await scheme(exchange.request);
    if (!outcome.ok) return outcome.reply;
    exchange.principal = outcome.principal;
    return undefined;
  };
}
