import { originJudge } from '../context.js';
import { problem } from '../problem.js';
import type { Step } from './exchange.js';

/** The origin links are built on: the configured public URL, or a Host the configuration allows (else 400). */
export function judgeOrigin(publicUrl: string | undefined, allowedHosts: readonly string[] | undefined): Step {
  const originOf = originJudge(publicUrl, allowedHosts);
  return function judgeHost(exchange) {
    const judged = originOf(exchange.request);
    if (!judged.ok) return problem(400, judged.detail);
    exchange.origin = judged.origin;
    return undefined;
  };
}
