// The benchmark's baseline: what a careful hand-written Fastify service would do for the four scenarios, without
// the spec-driven layer. Same database file, same queries (the API's own repository functions), same JSON Schema
// validation of parameters and bodies (the schemas of openapi.yaml, compiled by Fastify's `schema` option with
// the API's Ajv settings), same bodies and statuses: an ETag and 304 for a conditional getItem, a verified bearer
// JWT (jose), the owner check and 201 + Location for createItem.
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyRequest } from 'fastify';
import { parse } from 'yaml';
import { verifyAccessToken } from '../../src/auth/access-tokens.js';
import { activeRole, ownerOf } from '../../src/auth/repository.js';
import { createDatabase } from '../../src/db/database.js';
import { createAjv } from '../../src/http/ajv.js';
import { etagOf, noneMatch } from '../../src/http/conditional.js';
import { CursorCodec } from '../../src/http/cursor.js';
import { specPath } from '../../src/http/openapi-spec.js';
import { parseSort } from '../../src/http/pagination.js';
import { itemFilter, type ListItemsQuery, listItemsScope } from '../../src/items/list-query.js';
import * as items from '../../src/items/repository.js';
import { newItemRow, toItem, toItems } from '../../src/items/representation.js';
import { toStore } from '../../src/stores/mapping.js';
import { findStore } from '../../src/stores/repository.js';

const env = process.env;
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

const app = Fastify({ logger: { level: env.LOG_LEVEL ?? 'info' } });
app.setValidatorCompiler(({ schema }) => ajv.compile(schema));

const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
const notFound = (detail: string) => ({ type: '/problems/not-found', title: 'Not Found', status: 404, detail });

app.get<{ Params: { storeId: string } }>(
  '/stores/:storeId',
  { schema: { params: parameters('/stores/{storeId}', 'get', 'path') } },
  async (request, reply) => {
    const row = await findStore(db, request.params.storeId);
    if (!row) return reply.code(404).type('application/problem+json').send(notFound('No such store.'));
    return toStore(row);
  },
);

app.get<{ Querystring: ListItemsQuery }>(
  '/items',
  { schema: { querystring: parameters('/items', 'get', 'query') } },
  async (request) => {
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
    return body;
  },
);

app.get<{ Params: { itemId: string } }>(
  '/items/:itemId',
  { schema: { params: parameters('/items/{itemId}', 'get', 'path') } },
  async (request, reply) => {
    const row = await items.findItem(db, request.params.itemId);
    if (!row) return reply.code(404).type('application/problem+json').send(notFound('No such item.'));
    const body = JSON.stringify(await toItem(db, row));
    const etag = etagOf(body);
    reply.header('etag', etag).header('cache-control', 'public, no-cache');
    if (!noneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type('application/json').send(body);
  },
);

app.post<{ Body: { storeId: string; name: string; description?: string | null; price: number } }>(
  '/items',
  { schema: { body: ref('#/components/schemas/ItemCreate') } },
  async (request, reply) => {
    const token = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const verified = token ? await verifyAccessToken(jwtSecret, token, 24 * 3600) : undefined;
    if (!verified?.ok) return reply.code(401).send({ status: 401, title: 'Unauthorized' });
    const { userId, tokenId, sessionId } = verified.claims;
    if ((await activeRole(db, userId, tokenId, sessionId)) === undefined) {
      return reply.code(401).send({ status: 401, title: 'Unauthorized' });
    }
    const { body } = request;
    const owner = await ownerOf(db, 'store', body.storeId);
    if (owner && owner.ownerId !== userId) return reply.code(403).send({ status: 403, title: 'Forbidden' });
    const row = await items.insertItem(db, newItemRow(body));
    if (typeof row === 'string') {
      const status = row === 'duplicate' ? 409 : 422;
      return reply.code(status).type('application/problem+json').send({ status, title: 'Not created' });
    }
    reply.code(201).header('location', `${origin(request)}/items/${row.id}`);
    return toItem(db, row);
  },
);

await app.listen({ port: Number(env.PORT), host: '127.0.0.1' });
// Like the API: close on SIGTERM (and so write a CPU profile when run with --cpu-prof).
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
