import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { malformed, type Problem, problem } from './problem.js';

/**
 * Requests Node's HTTP parser refuses before any route runs (a broken request line or header, headers over the
 * size limit, a request that took too long to arrive) get a problem+json answer like every other error, instead
 * of Node's bare text, and the connection is closed: what follows on it cannot be trusted.
 */
export function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  // A response already begun on this connection (a request cut by the timeout mid-answer) cannot take another.
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || error.code === 'ECONNRESET' || pending?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, body } = clientProblem(error.code);
  const requestId = randomUUID();
  this.log.info({ code: error.code, status, reqId: requestId }, 'connection closed: client error before a request');
  const payload = JSON.stringify({ ...body, requestId } satisfies Problem);
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'Content-Type: application/problem+json',
      'Cache-Control: no-store',
      'X-Content-Type-Options: nosniff',
      'Connection: close',
      `Content-Length: ${Buffer.byteLength(payload)}`,
      '',
      payload,
    ].join('\r\n'),
  );
}

function clientProblem(code: string | undefined): { status: number; body: Problem } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return problem(431, 'The request headers are larger than this server accepts (16 KiB in all).');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem(408, 'The request did not arrive in time; the connection is closed. Send it again, whole.');
    default:
      return malformed('The request is not valid HTTP/1.1: its request line or a header could not be read.');
  }
}
