import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accessLog } from './access-log.js';
import type { LogDestination } from './log-destination.js';
import {
  rateLimitedTotal,
  recordingMetrics,
  requestErrorsTotal,
  requestSlot,
  shedTotal,
  statusClass,
} from './metrics.js';
import { activeTracer } from './tracing.js';

interface Traced {
  span: Span;
  context: Context;
}

/**
 * Observes every request from outside the operation binding, keyed by the route's operationId: its metrics
 * (count, 5xx, latency, 429s), one access-log line (access-log.ts), and (while tracing is on) its span. Registered first, so its
 * `onRequest` runs before anything can answer early (load shedding, rate limits, the no-body check); its
 * `onResponse` runs for every answer, those included.
 */
export function registerRequestObserver(app: FastifyInstance, logDestination: LogDestination): void {
  const writeAccessLine = accessLog(app.log, logDestination);
  app.decorateRequest('principalId', undefined);
  app.decorateRequest('traced', undefined);

  app.addHook('onRequest', (request, reply, done) => {
    const tracer = activeTracer();
    if (!tracer) return done();
    // The caller's W3C traceparent (and tracestate) makes this request's span a child of the caller's.
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(
      operationOf(request),
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          ...(request.routeOptions.url !== undefined && { 'http.route': request.routeOptions.url }),
          'stores_api.request_id': request.id,
        },
      },
      parent,
    );
    const traced = { span, context: trace.setSpan(parent, span) };
    request.traced = traced;
    // Passed on to the caller: the trace and span that answered, as W3C Trace Context Level 2's `traceresponse`.
    const { traceId, spanId, traceFlags } = span.spanContext();
    reply.header('traceresponse', `00-${traceId}-${spanId}-0${traceFlags.toString(16)}`);
    // The rest of the request runs in the span's context (AsyncLocalStorage carries it through the body's stream
    // callbacks too: test/observability/tracing.test.ts sends a body in two parts), so its statements find it.
    context.with(traced.context, done);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const operation = operationOf(request);
    const ms = reply.elapsedTime;
    if (recordingMetrics()) {
      requestSlot(operation, request.method, status).observe(ms / 1000);
      if (status >= 500) {
        requestErrorsTotal.inc({ operation_id: operation, method: request.method, status_class: statusClass(status) });
      }
      if (status === 429) rateLimitedTotal.inc({ operation_id: operation });
    }
    writeAccessLine(request, {
      operationId: operation,
      statusCode: status,
      durationMs: ms,
      principalId: request.principalId,
    });
    const traced = request.traced;
    if (traced) endSpan(traced.span, request, reply);
    done();
  });
}

/** Counts a request refused before any work (load shedding), by why. */
export function countShed(reason: string): void {
  if (recordingMetrics()) shedTotal.inc({ reason });
}

/** Records who the request is from, once its security scheme has established it: the access log and span carry it. */
export function notePrincipal(request: FastifyRequest, principalId: string): void {
  request.principalId = principalId;
  request.traced?.span.setAttribute('user.id', principalId);
}

function endSpan(span: Span, request: FastifyRequest, reply: FastifyReply): void {
  span.setAttribute('http.response.status_code', reply.statusCode);
  if (request.principalId !== undefined) span.setAttribute('user.id', request.principalId);
  if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * A bounded name for the request: the operationId of openapi.yaml its route is bound to; `other` for the few
 * routes outside the spec (docs, the landing page, the spec itself); `unmatched` when no route matched.
 */
function operationOf(request: FastifyRequest): string {
  const operationId = request.routeOptions.config?.operationId;
  if (operationId !== undefined) return operationId;
  return request.routeOptions.url === undefined ? 'unmatched' : 'other';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, once the operation's security scheme has established one. */
    principalId: string | undefined;
    /** The request's span and its context, while tracing is on. */
    traced: Traced | undefined;
  }
}
