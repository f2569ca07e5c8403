import type { FastifyReply, FastifyRequest } from 'fastify';

/** Dates in seconds since 1970, as the generator reads them from `x-deprecated-at` and `x-sunset`. */
interface Dates {
  readonly at: number;
  readonly sunset: number | null;
}

/** An operation's `deprecation` in generated/operations.ts. */
export interface Deprecation {
  readonly operation: Dates | null;
  readonly parameters: readonly (Dates & { readonly in: string; readonly name: string })[];
  readonly docs: string;
}

/**
 * Tells a client it is using something deprecated (`deprecated: true` in the spec): `Deprecation` (RFC 9745, a
 * structured-field date: `@` and seconds), `Sunset` (RFC 8594, an HTTP-date) when a removal date is set, and a
 * `Link` with `rel="deprecation"` to the operation's documentation. A deprecated parameter counts only when the
 * request used it. With several, the earliest dates are sent: the first thing the client must move off.
 */
export function announceDeprecation(
  reply: FastifyReply,
  request: FastifyRequest,
  deprecation: Deprecation | null,
): void {
  if (!deprecation) return;
  const used = deprecation.parameters.filter((p) => isUsed(request, p.in, p.name));
  const dated = [...(deprecation.operation ? [deprecation.operation] : []), ...used];
  if (dated.length === 0) return;
  reply.header('Deprecation', `@${Math.min(...dated.map((d) => d.at))}`);
  const sunsets = dated.flatMap((d) => (d.sunset === null ? [] : [d.sunset]));
  if (sunsets.length > 0) reply.header('Sunset', new Date(Math.min(...sunsets) * 1000).toUTCString());
  reply.header('Link', `<${deprecation.docs}>; rel="deprecation"; type="text/html"`);
}

function isUsed(request: FastifyRequest, location: string, name: string): boolean {
  if (location === 'query') return (request.query as Record<string, unknown> | undefined)?.[name] !== undefined;
  if (location === 'header') return request.headers[name.toLowerCase()] !== undefined;
  if (location === 'cookie') return new RegExp(`(^|;\\s*)${name}=`).test(request.headers.cookie ?? '');
  return true;
}
