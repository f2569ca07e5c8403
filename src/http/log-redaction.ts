import type { FastifyRequest } from 'fastify';

/** Query parameters whose value is a credential; a client may send one even though the API refuses it there. */
const secretParameters = /([?&](?:access_token|refresh_token|token|password|api_key)=)[^&#]*/gi;

/** The request as logged: Fastify's usual fields, with any credential in the URL replaced. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: request.url.replace(secretParameters, '$1[redacted]'),
    host: request.host,
    remoteAddress: request.ip,
    ...(request.socket?.remotePort !== undefined && { remotePort: request.socket.remotePort }),
  };
}
