import type { Handler } from '../http/context.js';
import { nextLink, parseSort, readCursor } from '../http/pagination.js';
import { conflict, notFound, unprocessable } from '../http/problem.js';
import { itemFilter, listItemsScope } from './list-query.js';
import { toCents } from './money.js';
import * as items from './repository.js';
import { newItem, newItemRow, toItem, toItems } from './representation.js';

const missing = (id: string) => notFound(`No item has the id ${id}.`);
const taken = (name: string) => conflict(`This store already has an item named "${name}".`);

export const listItems: Handler<'listItems'> = async ({ query }, ctx) => {
  const scope = listItemsScope(query);
  const start = readCursor(ctx, scope, query.cursor);
  if (!start.ok) return start.problem;
  const order = parseSort(query.sort);
  const page = await items.listItems(ctx.db, itemFilter(query), order, start.position, query.limit);
  const next = nextLink(ctx, '/items', { ...query, cursor: undefined }, scope, page.next);
  return { status: 200, body: { items: await toItems(ctx.db, page.rows), ...(next && { next }) } };
};

export const createItem: Handler<'createItem'> = async ({ body }, ctx) => {
  const row = await items.insertItem(ctx.db, newItemRow(body));
  if (row === 'missing-parent') return unprocessable(`No store has the id ${body.storeId}; create the store first.`);
  if (row === 'duplicate') return taken(body.name);
  return { status: 201, headers: { Location: ctx.url(`/items/${row.id}`) }, body: newItem(row) };
};

export const getItem: Handler<'getItem'> = async ({ path }, ctx) => {
  const row = await items.findItem(ctx.db, path.itemId);
  if (!row) return missing(path.itemId);
  return { status: 200, body: await toItem(ctx.db, row) };
};

export const replaceItem: Handler<'replaceItem'> = async ({ path, body }, ctx) => {
  const changes = { name: body.name, description: body.description ?? null, price_cents: toCents(body.price) };
  const row = await items.updateItem(ctx.db, path.itemId, changes, new Date().toISOString());
  if (row === 'not-found') return missing(path.itemId);
  if (row === 'duplicate') return taken(body.name);
  return { status: 200, body: await toItem(ctx.db, row) };
};

export const updateItem: Handler<'updateItem'> = async ({ path, body }, ctx) => {
  const changes: items.ItemChanges = {};
  if (body.name !== undefined) changes.name = body.name;
  if (body.description !== undefined) changes.description = body.description;
  if (body.price !== undefined) changes.price_cents = toCents(body.price);
  const row = await items.updateItem(ctx.db, path.itemId, changes, new Date().toISOString());
  if (row === 'not-found') return missing(path.itemId);
  if (row === 'duplicate') return taken(body.name ?? '');
  return { status: 200, body: await toItem(ctx.db, row) };
};

export const deleteItem: Handler<'deleteItem'> = async ({ path }, ctx) => {
  return (await items.deleteItem(ctx.db, path.itemId)) ? { status: 204 } : missing(path.itemId);
};
