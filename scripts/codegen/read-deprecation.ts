// `deprecated: true` on an operation or on one of its parameters, with the dates the Deprecation (RFC 9745) and
// Sunset (RFC 8594) response headers carry: `x-deprecated-at`, the date it was deprecated on (required, since
// Deprecation is a date), and `x-sunset`, the date after which it may be removed (optional; oasdiff reads the
// same extension when the operation or parameter is finally removed).

/** Dates as seconds since 1970 (UTC). */
export interface DeprecationDates {
  at: number;
  sunset: number | null;
}

export interface DeprecatedParameter extends DeprecationDates {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
}

export interface DeprecationFact {
  /** Set when the whole operation is deprecated: every answer says so. */
  operation: DeprecationDates | null;
  /** Deprecated parameters: an answer says so when the request used one. */
  parameters: DeprecatedParameter[];
  /** Where the `Link; rel="deprecation"` points: the operation in the docs (Swagger UI's deep link). */
  docs: string;
}

type Json = Record<string, unknown>;

export function readDeprecation(operationId: string, operation: Json, parameters: Json[]): DeprecationFact | null {
  const own = datesOf(operationId, operation);
  const deprecatedParameters = parameters.flatMap((p): DeprecatedParameter[] => {
    const dates = datesOf(`${operationId} parameter ${String(p.name)}`, p);
    return dates ? [{ in: p.in as DeprecatedParameter['in'], name: String(p.name), ...dates }] : [];
  });
  if (!own && deprecatedParameters.length === 0) return null;
  const tag = Array.isArray(operation.tags) && typeof operation.tags[0] === 'string' ? operation.tags[0] : 'default';
  return { operation: own, parameters: deprecatedParameters, docs: `/docs#/${encodeURIComponent(tag)}/${operationId}` };
}

function datesOf(where: string, node: Json): DeprecationDates | null {
  const deprecatedAt = node['x-deprecated-at'];
  const sunset = node['x-sunset'];
  if (node.deprecated !== true) {
    if (deprecatedAt !== undefined || sunset !== undefined) {
      throw new Error(`${where}: x-deprecated-at and x-sunset belong with deprecated: true`);
    }
    return null;
  }
  const at = secondsOf(where, 'x-deprecated-at', deprecatedAt);
  if (at === null) throw new Error(`${where}: deprecated: true needs x-deprecated-at, the date it was deprecated on`);
  const end = secondsOf(where, 'x-sunset', sunset);
  if (end !== null && end <= at) throw new Error(`${where}: x-sunset must come after x-deprecated-at`);
  return { at, sunset: end };
}

/** A date (`2027-06-01`) or date-time with a zone, as YAML gives it (a string, or a Date for an unquoted date). */
function secondsOf(where: string, name: string, value: unknown): number | null {
  if (value === undefined) return null;
  const text = value instanceof Date ? value.toISOString() : String(value);
  const valid = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/.test(text);
  const millis = Date.parse(text);
  if (!valid || Number.isNaN(millis)) throw new Error(`${where}: ${name} must be a date (2027-06-01) or a date-time`);
  return Math.floor(millis / 1000);
}
