/** The request id: the caller's `X-Request-Id` when it is well formed, else a new one. */
export function requestIdFrom(header: string | string[] | undefined, fresh: () => string): string {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : fresh();
}
