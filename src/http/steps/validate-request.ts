import { validationFailed } from '../problem.js';
import type { RequestValidator } from '../request-validator.js';
import type { Step } from './exchange.js';

/** The operation's request validators (compiled from the spec): a 400 naming every failing field. */
export function validateRequest(validate: RequestValidator): Step {
  return function validateInput(exchange) {
    const issues = validate(exchange.input);
    return issues.length > 0 ? validationFailed(issues) : undefined;
  };
}
