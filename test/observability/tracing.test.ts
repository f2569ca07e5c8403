import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema, testDatabaseUrl } from '../helpers/fresh-database.js';
import { freePort, noShedding, type ServerProcess, startServer } from '../helpers/server-process.js';

// The demo catalogue's store (the server runs in development, which loads it).
const storeId = '01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
}

/** A small OTLP/HTTP receiver on loopback: keeps every span of every JSON export it is sent. */
function otlpReceiver(spans: OtlpSpan[]): Server {
  return createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      if (request.url === '/v1/traces' && request.headers['content-type']?.startsWith('application/json')) {
        const exported = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const resource of exported.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        response.writeHead(415).end();
      }
    });
  });
}

const attribute = (span: OtlpSpan | undefined, key: string) => {
  const value = span?.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

/** A POST whose body is sent in two writes 200 ms apart. */
function slowPost(url: string, token: string, body: string): Promise<{ status: number; traceresponse: string }> {
  return new Promise((resolve, reject) => {
    const sending = httpRequest(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `Bearer ${token}`,
      },
    });
    sending.on('response', (response) => {
      response.resume();
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, traceresponse: String(response.headers.traceresponse ?? '') }),
      );
    });
    sending.on('error', reject);
    sending.write(body.slice(0, 5));
    setTimeout(() => sending.end(body.slice(5)), 200);
  });
}

const received: OtlpSpan[] = [];
let receiver: Server;
let server: ServerProcess;
// SQLite, or under `npm run test:pg` a fresh PostgreSQL schema: statements are traced on both.
const system = testDatabaseUrl === undefined ? 'sqlite' : 'postgresql';
let dropSchema: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const port = await freePort();
  receiver = otlpReceiver(received);
  await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
  const schema = testDatabaseUrl === undefined ? undefined : await freshSchema();
  dropSchema = schema?.drop;
  server = await startServer({
    ...noShedding,
    ...(schema && { DATABASE_URL: schema.url }),
    METRICS_PORT: 'off',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await dropSchema?.();
});

describe('tracing, with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  it('sends one span per request, named by operationId, child of the caller’s traceparent, with a span per statement', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const answer = await fetch(`${server.base}/stores/${storeId}`, {
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
    });
    expect(answer.status).toBe(200);
    const requestId = answer.headers.get('x-request-id');

    const inTrace = () => received.filter((span) => span.traceId === traceId);
    for (let i = 0; i < 150 && !inTrace().some((s) => s.name === 'getStore'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Statement spans end before the request's, so they are exported with it or earlier.
    const spans = inTrace();
    const requestSpans = spans.filter((span) => span.name === 'getStore');
    expect(requestSpans).toHaveLength(1);
    const requestSpan = requestSpans[0] as OtlpSpan;
    expect(requestSpan.parentSpanId).toBe(callerSpanId);
    expect(requestSpan.kind).toBe(2); // SERVER
    expect(attribute(requestSpan, 'stores_api.request_id')).toBe(requestId);
    expect(attribute(requestSpan, 'http.route')).toBe('/stores/:storeId');
    expect(attribute(requestSpan, 'http.response.status_code')).toBe(200);

    const statements = spans.filter((span) => span !== requestSpan);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.parentSpanId).toBe(requestSpan.spanId);
      expect(statement.kind).toBe(3); // CLIENT
      expect(attribute(statement, 'db.system.name')).toBe(system);
      // The statement's text, never the values bound to it.
      expect(String(attribute(statement, 'db.query.text'))).not.toContain(storeId);
    }
    expect(statements.map((s) => s.name)).toContain('select');

    // Passed on to the caller: the trace, and the span that answered.
    expect(answer.headers.get('traceresponse')).toBe(`00-${traceId}-${requestSpan.spanId}-01`);
  });

  it('starts a new trace for a request that brings none', async () => {
    const answer = await fetch(`${server.base}/stores`);
    expect(answer.status).toBe(200);
    const [, traceId, spanId] = (answer.headers.get('traceresponse') ?? '').split('-');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    for (let i = 0; i < 150 && !received.some((s) => s.spanId === spanId); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const span = received.find((s) => s.spanId === spanId);
    expect(span).toMatchObject({ name: 'listStores', traceId });
    expect(span?.parentSpanId || undefined).toBeUndefined();
  });

  it('keeps a request with a body in its span: its statements, and who sent it', async () => {
    const signIn = await fetch(`${server.base}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@example.com', password: 'demo-password' }),
    });
    expect(signIn.status).toBe(200);
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    // The body arrives in two parts, 200 ms apart: the handler runs from the stream's callbacks, not the request's.
    const created = await slowPost(`${server.base}/stores`, accessToken, JSON.stringify({ name: 'Traced store' }));
    expect(created.status).toBe(201);
    const [, traceId, spanId] = created.traceresponse.split('-');
    const inTrace = () => received.filter((span) => span.traceId === traceId);
    for (let i = 0; i < 150 && !inTrace().some((s) => s.spanId === spanId); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const requestSpan = inTrace().find((s) => s.spanId === spanId);
    expect(requestSpan?.name).toBe('createStore');
    expect(attribute(requestSpan, 'user.id')).toBe(
      (JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as { sub: string }).sub,
    );
    const statements = inTrace().filter((s) => s !== requestSpan);
    expect(statements.map((s) => s.name)).toContain('insert');
    for (const statement of statements) expect(statement.parentSpanId).toBe(spanId);
  });
});
