import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';
import { answerClientError } from './client-errors.js';

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
 * A body that stops arriving for `bodyTimeoutMs` is cut: the request is answered 408 problem+json with
 * `Connection: close`, which frees the connection. A body still arriving when the server shuts down may finish
 * (an honest slow upload is not lost), but one that stalls is cut so, well before SHUTDOWN_TIMEOUT: no client
 * can hold a shutdown by sending nothing.
 *
 * Most bodies come in the packet that brought the headers: by the next tick Node has parsed all of their bytes
 * into the request stream, and nothing can stall. Those are left alone, at the cost of one `process.nextTick` (a
 * stream wrapped around every body, with its timer and listeners, was about 2 % of createItem's CPU). Only a body
 * still arriving then is watched: its connection's byte count is looked at four times per `bodyTimeoutMs`, and
 * the body is cut once it has not moved for that long.
 */
export function registerBodyTimeout(app: FastifyInstance, bodyTimeoutMs: number): void {
  app.addHook('preParsing', (request, reply, payload, done) => {
    const length = request.headers['content-length'];
    const hasBody = (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
    if (hasBody) process.nextTick(watchIfStillArriving, request, reply, payload, bodyTimeoutMs);
    done(null, payload);
  });
}

function watchIfStillArriving(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: NodeJS.ReadableStream,
  bodyTimeoutMs: number,
): void {
  const raw = request.raw;
  const socket = raw.socket;
  const length = Number(request.headers['content-length']);
  if (raw.complete || !socket || raw.readableLength >= length) return;
  let bytesRead = socket.bytesRead;
  let movedAt = performance.now();
  const look = () => {
    // Done with: the body arrived, the answer went (or is going) out, or the reader of the body has stopped.
    if (raw.complete || reply.sent || socket.destroyed || payload.listenerCount('error') === 0) {
      clearInterval(timer);
      return;
    }
    if (socket.bytesRead !== bytesRead) {
      bytesRead = socket.bytesRead;
      movedAt = performance.now();
      return;
    }
    if (performance.now() - movedAt < bodyTimeoutMs) return;
    clearInterval(timer);
    reply.header('connection', 'close');
    const message = `The request body stopped arriving for ${bodyTimeoutMs} ms; send it again, whole.`;
    // Fails the body's reader (Fastify's, or the decompression a later hook put in front of it) as a stream
    // error would; the error handler answers 408.
    payload.emit('error', Object.assign(new Error(message), { code: bodyTimedOut, statusCode: 408 }));
  };
  const timer = setInterval(look, Math.max(25, Math.floor(bodyTimeoutMs / 4)));
}
