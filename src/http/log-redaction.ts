import type { FastifyRequest } from 'fastify';

/** Query parameters whose value is a credential; a client may send one even though the API refuses it there. */
const secretParameters = /([?&](?:access_token|refresh_token|token|password|api_key)=)[^&#]*/gi;

/** The URL with any credential in its query replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  return url.includes('=') ? url.replace(secretParameters, '$1[redacted]') : url;
}

/** The request as logged: Fastify's usual fields, with any credential in the URL replaced. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    ...(request.socket?.remotePort !== undefined && { remotePort: request.socket.remotePort }),
  };
}
