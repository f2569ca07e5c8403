import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
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
