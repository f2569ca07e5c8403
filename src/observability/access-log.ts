import { hostname } from 'node:os';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { levels } from 'pino';
import { redactUrl } from '../http/log-redaction.js';
import type { LogDestination } from './log-destination.js';

/** pino's number for info, the level the access log is written at. */
const info = 30;
const pidAndHost = `"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;
/** Printable ASCII without `"` and `\`: a JSON string of these is the text between two quotes, unchanged. */
const needsNoEscape = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string: most values need no escape, and the test for that is cheaper than JSON.stringify. */
function quoted(text: string): string {
  return needsNoEscape.test(text) ? `"${text}"` : JSON.stringify(text);
}

export interface Answered {
  operationId: string;
  statusCode: number;
  durationMs: number;
  principalId: string | undefined;
}

/**
 * One line per request at info, exactly what pino writes for `request.log.info({ req, operationId, statusCode,
 * durationMs, principalId }, 'request')`: pino's fields (level, time, pid, hostname, reqId, msg), the request as
 * the request serializer gives it (log-redaction.ts: no headers, no body, credentials in the URL redacted), and
 * the answer; `LOG_LEVEL=warn` writes none.
 *
 * The line is put together here instead of by pino: through pino's generic `info()` it cost about 16 µs of
 * getStore's 60 in the running server, through a compiled fast-json-stringify schema about 14, this way about 2
 * (timed around the call in the server under load; README, What they cost). Only the URL, the Host header and the principal can hold characters JSON must
 * escape; the request id is checked by request-id.ts, the operationId comes from openapi.yaml and the method
 * from Node's parser. test/observability/access-log.test.ts parses lines made from hostile values.
 */
export function accessLog(log: FastifyBaseLogger, destination: LogDestination) {
  return (request: FastifyRequest, answered: Answered): void => {
    if ((levels.values[log.level] ?? Number.POSITIVE_INFINITY) > info) return;
    const port = request.socket?.remotePort;
    const ip = request.ip;
    const who = answered.principalId;
    destination.write(
      `{"level":${info},"time":${Date.now()},${pidAndHost},"reqId":${quoted(request.id)},` +
        `"req":{"method":${quoted(request.method)},"url":${quoted(redactUrl(request.url))},"host":${quoted(request.host)}` +
        `${ip === undefined ? '' : `,"remoteAddress":${quoted(ip)}`}${port === undefined ? '' : `,"remotePort":${port}`}},` +
        `"operationId":${quoted(answered.operationId)},"statusCode":${answered.statusCode},` +
        `"durationMs":${Math.round(answered.durationMs * 100) / 100}` +
        `${who === undefined ? '' : `,"principalId":${quoted(who)}`},"msg":"request"}\n`,
    );
  };
}
