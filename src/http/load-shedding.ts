import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Lifecycle } from '../health/lifecycle.js';
import { countShed } from '../observability/request-observer.js';
import { problem } from './problem.js';
import { sendProblem } from './send-problem.js';

type Settings = Pick<Config, 'overloadMaxEventLoopDelay' | 'overloadMaxEventLoopUtilization' | 'overloadRetryAfter'>;

/**
 * Answers 503 with `Retry-After`, before any other work, when the instance cannot serve a request well:
 * while the event loop is overloaded (@fastify/under-pressure samples its delay and utilisation every second),
 * so that latency and queued requests stay bounded instead of growing; while it is starting (waiting for its
 * database; readiness answers then too); and once it is shutting down and its listener has closed. Liveness is
 * never shed: an instance that is busy is still alive.
 */
export async function registerLoadShedding(app: FastifyInstance, lifecycle: Lifecycle, settings: Settings) {
  const retryAfter = settings.overloadRetryAfter;
  // A callback hook, not an async one: it runs on every request, and almost always only to let it pass.
  app.addHook('onRequest', (request, reply, done) => {
    if (lifecycle.state === 'serving' || lifecycle.state === 'draining') return done();
    if (lifecycle.state === 'starting') {
      const operationId = request.routeOptions.config.operationId;
      if (operationId === 'checkLiveness' || operationId === 'checkReadiness') return done();
      countShed('starting');
      reply.header('retry-after', startingRetryAfter);
      sendProblem(reply, unavailable('This instance is starting: it is waiting for its database. Try again.'));
      return;
    }
    countShed('shutting_down');
    reply.header('connection', 'close').header('retry-after', retryAfter);
    sendProblem(reply, unavailable('This instance is shutting down; send the request again.'));
  });
  // From SIGTERM on, every answer (those in flight included) says Connection: close, so a keep-alive client
  // closes its connection after it rather than sending its next request on one the server is about to close,
  // which would meet a reset.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (lifecycle.shuttingDown) reply.header('connection', 'close');
    done(null, payload);
  });
  await app.register(underPressure, {
    maxEventLoopDelay: settings.overloadMaxEventLoopDelay,
    maxEventLoopUtilization: settings.overloadMaxEventLoopUtilization,
    eventLoopUtilizationMode: 'interval',
    pressureHandler: async (request, reply, type, value) => {
      if (request.routeOptions.config.operationId === 'checkLiveness') return;
      // Logged at debug only: under overload, a line per shed request would add to the load.
      request.log.debug({ type, value }, 'overloaded: request shed');
      countShed(type);
      reply.header('retry-after', retryAfter);
      sendProblem(reply, unavailable(`The server is under too much load to answer now; try again in ${retryAfter} s.`));
    },
  });
}

const unavailable = (detail: string) => problem(503, detail);

/** The Retry-After of a request that arrives while the instance is still starting, in seconds. */
const startingRetryAfter = 5;
