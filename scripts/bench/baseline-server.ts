// The benchmark's baseline: the service a careful engineer would hand-write in Fastify for the benchmark's four
// operations, answering the same wire contract as the API without the spec-driven layer. The contract comes from
// the ecosystem's plugins, each registered the way its README shows:
// - @fastify/etag: a strong ETag on every answer with a body, the API's tag form (SHA-256 of the bytes sent,
//   base64url, 27 characters), and 304 for a matching If-None-Match;
// - @fastify/helmet: the API's set of security headers (a CSP that lets nothing load or frame, X-Frame-Options DENY,
//   HSTS, nosniff, a same-origin resource policy, and none of helmet's headers for HTML documents);
// - @fastify/compress: br, gzip or deflate above 1 KiB when the client asks;
// - Fastify's own request id (`X-Request-Id` kept when the caller sends one, a UUID otherwise), echoed back;
// - the Cache-Control and Vary the spec declares (reads `public, no-cache` with `Vary: Accept-Encoding`, a
//   creation `no-store`, every error `no-store`), and problem+json for every error (validation, 401, 403, 404).
// Same database file, same queries (the API's repository functions), same JSON Schema validation (the schemas of
// openapi.yaml, compiled by Fastify's `schema` option with the API's Ajv settings), a verified bearer JWT (jose)
// and the owner check for createItem. `BASELINE=floor` serves the same routes bare: no plugins, no contract
// headers, only the status and body (and, for the conditional getItem, an ETag and 304): the floor of the table.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import compress from '@fastify/compress';
import etag from '@fastify/etag';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { parse } from 'yaml';
import { verifyAccessToken } from '../../src/auth/access-tokens.js';
import { activeRole, ownerOf } from '../../src/auth/repository.js';
import { createDatabase } from '../../src/db/database.js';
import { createAjv } from '../../src/http/ajv.js';
import { etagOf, noneMatch } from '../../src/http/conditional.js';
import { CursorCodec } from '../../src/http/cursor.js';
import { apiHelmetOptions } from '../../src/http/http-layer.js';
import { specPath } from '../../src/http/openapi-spec.js';
import { parseSort } from '../../src/http/pagination.js';
import { itemFilter, type ListItemsQuery, listItemsScope } from '../../src/items/list-query.js';
import * as items from '../../src/items/repository.js';
import { newItem, newItemRow, toItem, toItems } from '../../src/items/representation.js';
import { toStore } from '../../src/stores/mapping.js';
import { findStore } from '../../src/stores/repository.js';

const env = process.env;
const contract = env.BASELINE !== 'floor';
const db = createDatabase(env.DATABASE_URL ?? '');
const cursors = new CursorCodec({ cursorSecret: env.CURSOR_SECRET ?? '' });
const jwtSecret = env.JWT_SECRET ?? '';

type Parameter = { name: string; in: string; required?: boolean; schema: object };
type Parameters = { parameters?: ({ $ref: string } | Parameter)[] };
const spec = parse(readFileSync(specPath, 'utf8')) as {
  paths: Record<string, Parameters & Record<string, Parameters>>;
  components: { parameters: Record<string, Parameter> };
};
const ajv = createAjv({ coerceTypes: 'array' });
ajv.addSchema(spec, 'openapi');
const ref = (pointer: string) => ({ $ref: `openapi${pointer}` });
/** A schema of the spec, copied with its references pointing into the spec (a `default` must not sit behind a $ref). */
const rebased = (schema: object): object =>
  JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', '"$ref":"openapi#/'));

/** The JSON Schema of one operation's parameters in one place, referring to the spec's own parameter schemas. */
function parameters(path: string, method: string, location: 'path' | 'query') {
  const item = spec.paths[path] ?? {};
  const listed = [...(item.parameters ?? []), ...(item[method]?.parameters ?? [])];
  const chosen = listed.flatMap((p) => {
    const parameter = '$ref' in p ? spec.components.parameters[p.$ref.split('/').at(-1) ?? ''] : p;
    return parameter?.in === location ? [{ ...parameter, schema: rebased(parameter.schema) }] : [];
  });
  return {
    type: 'object',
    properties: Object.fromEntries(chosen.map((p) => [p.name, p.schema])),
    required: chosen.filter((p) => p.required).map((p) => p.name),
    additionalProperties: false,
  };
}

const app = Fastify({
  logger: { level: env.LOG_LEVEL ?? 'info' },
  requestIdHeader: 'x-request-id',
  genReqId: () => randomUUID(),
  // Node's limits on a connection, as the API sets them: the idle keep-alive one shows in `Keep-Alive: timeout=5`.
  keepAliveTimeout: 5_000,
  requestTimeout: 30_000,
});
app.setValidatorCompiler(({ schema }) => ajv.compile(schema));

const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/** An RFC 9457 problem, as the API words its fields; never cached. */
function problem(request: FastifyRequest, reply: FastifyReply, status: number, title: string, detail: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/problem+json')
    .send({
      type: `/problems/${title.toLowerCase().replaceAll(' ', '-')}`,
      title,
      status,
      detail,
      instance: request.url,
      requestId: request.id,
    });
}

/** What a read answers with besides its body: cacheable by anyone, but only after asking again. */
function readable(reply: FastifyReply): void {
  if (contract) reply.header('cache-control', 'public, no-cache').header('vary', 'Accept-Encoding');
}

if (contract) {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // The API's header set: the same helmet options, through the ecosystem's plugin (which bundles its own helmet,
  // whose option types are another copy of the same shape).
  await app.register(helmet, apiHelmetOptions([]) as FastifyHelmetOptions);
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  await app.register(etag, { hashFn: (payload) => hashOf(payload) });
  // @fastify/etag answers 304 with an empty string, which Fastify would send with the 200's Content-Type and
  // `Content-Length: 0`; a 304 carries neither (RFC 9110 §15.4.5: it describes the 200, not an empty body).
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode !== 304) return done(null, payload);
    reply.removeHeader('content-type');
    done(null, null);
  });
  app.setErrorHandler((error: Error & { validation?: unknown; statusCode?: number }, request, reply) => {
    if (error.validation) return problem(request, reply, 400, 'Bad Request', error.message);
    request.log.error(error);
    return problem(request, reply, 500, 'Internal Server Error', 'The server failed to answer this request.');
  });
  app.setNotFoundHandler((request, reply) => problem(request, reply, 404, 'Not Found', 'No such resource.'));
}

/** The API's tag form without its quotes: the first 27 characters of the body's SHA-256 in base64url. */
function hashOf(payload: string | Buffer): string {
  return etagOf(typeof payload === 'string' ? payload : payload.toString()).slice(1, -1);
}

app.get<{ Params: { storeId: string } }>(
  '/stores/:storeId',
  { schema: { params: parameters('/stores/{storeId}', 'get', 'path') } },
  async (request, reply) => {
    const row = await findStore(db, request.params.storeId);
    if (!row) return problem(request, reply, 404, 'Not Found', `No store has the id ${request.params.storeId}.`);
    readable(reply);
    return toStore(row);
  },
);

app.get<{ Querystring: ListItemsQuery }>(
  '/items',
  { schema: { querystring: parameters('/items', 'get', 'query') } },
  async (request, reply) => {
    const query = request.query;
    const order = parseSort(query.sort);
    const page = await items.listItems(db, itemFilter(query), order, undefined, query.limit);
    const body: { items: unknown[]; next?: string } = { items: await toItems(db, page.rows) };
    if (page.next) {
      const next = new URL('/items', origin(request));
      for (const [name, value] of Object.entries(query)) if (name !== 'cursor') next.searchParams.set(name, `${value}`);
      next.searchParams.set('cursor', cursors.encode(listItemsScope(query), page.next));
      body.next = next.href;
    }
    readable(reply);
    return body;
  },
);

app.get<{ Params: { itemId: string } }>(
  '/items/:itemId',
  { schema: { params: parameters('/items/{itemId}', 'get', 'path') } },
  async (request, reply) => {
    const row = await items.findItem(db, request.params.itemId);
    if (!row) return problem(request, reply, 404, 'Not Found', `No item has the id ${request.params.itemId}.`);
    readable(reply);
    const body = JSON.stringify(await toItem(db, row));
    reply.type('application/json; charset=utf-8');
    if (contract) return reply.send(body); // @fastify/etag tags it and answers 304 to a matching If-None-Match
    const tag = etagOf(body);
    reply.header('etag', tag);
    return noneMatch(request.headers['if-none-match'], tag) ? reply.send(body) : reply.code(304).send();
  },
);

app.post<{ Body: { storeId: string; name: string; description?: string | null; price: number } }>(
  '/items',
  { schema: { body: ref('#/components/schemas/ItemCreate') } },
  async (request, reply) => {
    const token = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const verified = token ? await verifyAccessToken(jwtSecret, token, 24 * 3600) : undefined;
    const unauthorized = () =>
      problem(request, reply, 401, 'Unauthorized', 'This operation needs a valid access token.').header(
        'www-authenticate',
        'Bearer',
      );
    if (!verified?.ok) return unauthorized();
    const { userId, tokenId, sessionId } = verified.claims;
    if ((await activeRole(db, userId, tokenId, sessionId)) === undefined) return unauthorized();
    const { body } = request;
    const owner = await ownerOf(db, 'store', body.storeId);
    if (owner && owner.ownerId !== userId) {
      return problem(request, reply, 403, 'Forbidden', 'Only the owner of this store or an admin may do this.');
    }
    const row = await items.insertItem(db, newItemRow(body));
    if (row === 'duplicate')
      return problem(request, reply, 409, 'Conflict', `This store already has an item named "${body.name}".`);
    if (row === 'missing-parent')
      return problem(request, reply, 422, 'Unprocessable Content', `No store has the id ${body.storeId}.`);
    reply.code(201).header('location', `${origin(request)}/items/${row.id}`);
    if (contract) reply.header('cache-control', 'no-store').header('vary', 'Accept-Encoding');
    return newItem(row);
  },
);

await app.listen({ port: Number(env.PORT), host: '127.0.0.1' });
// Like the API: close on SIGTERM (and so write a CPU profile when run with --cpu-prof).
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
