import fc from 'fast-check';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { serializeRequest } from '../../src/http/log-redaction.js';
import { type Answered, accessLog } from '../../src/observability/access-log.js';

interface Seen {
  id: string;
  method: string;
  url: string;
  host: string;
  ip: string | undefined;
  port: number | undefined;
}

/** The request fields the line reads, as a stand-in for Fastify's request. */
function requestOf(seen: Seen): FastifyRequest {
  return {
    id: seen.id,
    method: seen.method,
    url: seen.url,
    host: seen.host,
    ip: seen.ip,
    socket: { remotePort: seen.port },
  } as unknown as FastifyRequest;
}

/** The line pino itself writes for the same request and answer, as the access log once did. */
function pinoLine(request: FastifyRequest, answered: Answered): string {
  let line = '';
  const log = pino({ serializers: { req: serializeRequest } }, { write: (text: string) => (line = text) });
  log.child({ reqId: request.id }).info(
    {
      req: request,
      operationId: answered.operationId,
      statusCode: answered.statusCode,
      durationMs: Math.round(answered.durationMs * 100) / 100,
      ...(answered.principalId !== undefined && { principalId: answered.principalId }),
    },
    'request',
  );
  return line;
}

function ourLine(request: FastifyRequest, answered: Answered, level = 'info'): string | undefined {
  let line: string | undefined;
  accessLog({ level } as FastifyBaseLogger, { write: (text) => (line = text) })(request, answered);
  return line;
}

const withoutTime = (line: string | undefined) => line?.replace(/"time":\d+,/, '');

describe('the access line', () => {
  it('is the line pino writes, byte for byte but the time, whatever the URL, Host and principal hold', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/),
          method: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'M-SEARCH'),
          url: fc.oneof(
            fc.string({ unit: 'binary' }),
            fc.constantFrom('/stores?access_token=s3cret&limit=1', '/a"b\\c', '/\u0000\u001f\u2028'),
          ),
          host: fc.string({ unit: 'binary' }),
          ip: fc.option(fc.constantFrom('127.0.0.1', '::1', '::ffff:10.0.0.1'), { nil: undefined }),
          port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
        }),
        fc.record({
          operationId: fc.constantFrom('getStore', 'other', 'unmatched'),
          statusCode: fc.integer({ min: 100, max: 599 }),
          durationMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
          principalId: fc.option(fc.string({ unit: 'binary' }), { nil: undefined }),
        }),
        (seen, answered) => {
          const request = requestOf(seen);
          const line = ourLine(request, answered);
          expect(withoutTime(line)).toBe(withoutTime(pinoLine(request, answered)));
          expect(line?.endsWith('}\n')).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('redacts a credential in the URL and is written at info only', () => {
    const request = requestOf({
      id: 'r1',
      method: 'GET',
      url: '/stores?limit=1&access_token=s3cret',
      host: 'api.example',
      ip: '127.0.0.1',
      port: 4000,
    });
    const answered = { operationId: 'listStores', statusCode: 400, durationMs: 1.234, principalId: undefined };
    const line = ourLine(request, answered);
    expect(line).not.toContain('s3cret');
    expect(JSON.parse(line as string)).toMatchObject({
      level: 30,
      reqId: 'r1',
      req: { url: '/stores?limit=1&access_token=[redacted]' },
      durationMs: 1.23,
      msg: 'request',
    });
    expect(ourLine(request, answered, 'debug')).toBeDefined();
    expect(ourLine(request, answered, 'warn')).toBeUndefined();
    expect(ourLine(request, answered, 'silent')).toBeUndefined();
  });
});
