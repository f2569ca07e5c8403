import { type Step, unrouted } from './exchange.js';

/** `/stores/` matches `/stores/:storeId` with an empty id; it names nothing, like any unknown path. */
export function refuseEmptyPathParameter(names: readonly string[]): Step {
  return function refuseEmpty(exchange) {
    const params = exchange.request.params as Record<string, string>;
    for (const name of names) if (params[name] === '') return unrouted;
    return undefined;
  };
}
