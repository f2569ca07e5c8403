import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';

/** The error code of a body that stopped arriving; the error handler answers it 408. */
export const bodyTimedOut = 'STORES_BODY_TIMEOUT';

type Timeouts = Pick<Config, 'headersTimeout' | 'requestTimeout' | 'keepAliveTimeout'>;

/**
 * Node's own limits on a connection, as Fastify options: the headers (`headersTimeout`), the whole request with
 * its body (`requestTimeout`), and an idle keep-alive connection (`keepAliveTimeout`). Node checks the first two
 * every `connectionsCheckingInterval` (30 s by default, far coarser than the limits): here a quarter of the
 * shorter one, at most a second. A request cut by them is answered by `answerClientError`.
 */
export function serverTimeouts(config: Timeouts): Partial<FastifyServerOptions> {
  const interval = Math.max(25, Math.min(1000, Math.floor(Math.min(config.headersTimeout, config.requestTimeout) / 4)));
  return {
    requestTimeout: config.requestTimeout,
    keepAliveTimeout: config.keepAliveTimeout,
    http: { headersTimeout: config.headersTimeout, connectionsCheckingInterval: interval },
    clientErrorHandler: answerClientError,
  } as Partial<FastifyServerOptions>;
}

/**
 * Errors Node raises before a request reaches Fastify (headers or the whole request too slow, malformed or
 * oversized headers) are answered as problem+json, like every other error, and the connection is closed.
 */
function answerClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const detail = {
    408: 'The request did not arrive in time; the connection is closed. Send it again, whole.',
    431: 'The request headers are larger than this server accepts.',
    400: 'The request is not valid HTTP.',
  }[status];
  const type = status === 408 ? '/problems/request-timeout' : '/problems/malformed-request';
  const body = JSON.stringify({ type, title: STATUS_CODES[status], status, detail });
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !pending?.headersSent) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  this.log.info({ code: error.code, status }, 'connection closed: client error before a request');
  socket.destroy();
}

/**
 * A body that stops arriving for `bodyTimeoutMs` is cut: the request is answered 408 problem+json with
 * `Connection: close`, which frees the connection. A body still arriving when the server shuts down may finish
 * (an honest slow upload is not lost), but one that stalls is cut so, well before SHUTDOWN_TIMEOUT: no client
 * can hold a shutdown by sending nothing.
 */
export function registerBodyTimeout(app: FastifyInstance, bodyTimeoutMs: number): void {
  app.addHook('preParsing', (request, reply, payload, done) => {
    const length = request.headers['content-length'];
    const hasBody = (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return done(null, payload);
    const timer = setTimeout(() => {
      reply.header('connection', 'close');
      const message = `The request body stopped arriving for ${bodyTimeoutMs} ms; send it again, whole.`;
      watched.destroy(Object.assign(new Error(message), { code: bodyTimedOut, statusCode: 408 }));
    }, bodyTimeoutMs);
    const watched = new Transform({
      transform(chunk, _encoding, next) {
        timer.refresh();
        next(null, chunk);
      },
    });
    const stop = () => clearTimeout(timer);
    watched.on('end', stop).on('close', stop).on('error', stop);
    reply.raw.once('finish', stop);
    // Fastify's decompression (a previous preParsing hook) may hand over its own stream: watch that one.
    payload.on('error', (error) => watched.destroy(error));
    payload.pipe(watched);
    done(null, watched);
  });
}
