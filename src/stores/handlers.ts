import { uuidv7 } from 'uuidv7';
import type { Handler } from '../http/context.js';
import { nextLink, parseSort, readCursor } from '../http/pagination.js';
import { conflict, notFound } from '../http/problem.js';
import { withItems } from './embedded-items.js';
import { toStore } from './mapping.js';
import * as stores from './repository.js';

const missing = (id: string) => notFound(`No store has the id ${id}.`);
const taken = (name: string) => conflict(`A store named "${name}" already exists.`);

export const listStores: Handler<'listStores'> = async ({ query }, ctx) => {
  const scope = ['listStores', query.q, query.sort];
  const start = readCursor(ctx, scope, query.cursor);
  if (!start.ok) return start.problem;
  const order = parseSort(query.sort);
  const page = await stores.listStores(ctx.db, { q: query.q }, order, start.position, query.limit);
  const shown = page.rows.map(toStore);
  const next = nextLink(ctx, '/stores', { ...query, cursor: undefined }, scope, page.next);
  const body = { stores: query.include === 'items' ? await withItems(ctx, shown) : shown };
  return { status: 200, body: { ...body, ...(next && { next }) } };
};

export const createStore: Handler<'createStore'> = async ({ body, principal }, ctx) => {
  const now = new Date().toISOString();
  const row = await stores.insertStore(ctx.db, {
    id: uuidv7(),
    name: body.name,
    owner_id: principal.userId,
    created_at: now,
    updated_at: now,
  });
  if (row === 'duplicate') return taken(body.name);
  return { status: 201, headers: { Location: ctx.url(`/stores/${row.id}`) }, body: toStore(row) };
};

export const getStore: Handler<'getStore'> = async ({ path, query }, ctx) => {
  const row = await stores.findStore(ctx.db, path.storeId);
  if (!row) return missing(path.storeId);
  const [store] = query.include === 'items' ? await withItems(ctx, [toStore(row)]) : [toStore(row)];
  return store ? { status: 200, body: store } : missing(path.storeId);
};

export const updateStore: Handler<'updateStore'> = async ({ path, body }, ctx) => {
  const changes = body.name === undefined ? {} : { name: body.name };
  const row = await stores.updateStore(ctx.db, path.storeId, changes, new Date().toISOString());
  if (row === 'not-found') return missing(path.storeId);
  if (row === 'duplicate') return taken(body.name ?? '');
  return { status: 200, body: toStore(row) };
};

export const deleteStore: Handler<'deleteStore'> = async ({ path }, ctx) => {
  return (await stores.deleteStore(ctx.db, path.storeId)) ? { status: 204 } : missing(path.storeId);
};
