import { problem } from '../problem.js';
import type { Step } from './exchange.js';

/** A body in the one media type the operation takes (415 otherwise); an absent body is for validation to judge. */
export function checkMediaType(contentType: string): Step {
  return function checkBodyType(exchange) {
    const { request } = exchange;
    if (request.body === undefined) return undefined;
    const essence = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (essence === contentType) return undefined;
    return problem(415, `This operation takes a body of type ${contentType}, not ${essence || 'an untyped body'}.`);
  };
}
