import { uuidv7 } from 'uuidv7';
import type { Handler } from '../http/context.js';
import { nextLink, readCursor } from '../http/pagination.js';
import { conflict, notFound, unprocessable } from '../http/problem.js';
import { toTag } from './mapping.js';
import * as tags from './repository.js';

const missing = (id: string) => notFound(`No tag has the id ${id}.`);
const taken = (name: string) => conflict(`This store already has a tag named "${name}".`);

export const listTags: Handler<'listTags'> = async ({ query }, ctx) => {
  const scope = ['listTags', query.storeId, query.q];
  const start = readCursor(ctx, scope, query.cursor);
  if (!start.ok) return start.problem;
  const page = await tags.listTags(ctx.db, query, start.position, query.limit);
  const next = nextLink(ctx, '/tags', { ...query, cursor: undefined }, scope, page.next);
  return { status: 200, body: { tags: page.rows.map(toTag), ...(next && { next }) } };
};

export const createTag: Handler<'createTag'> = async ({ body }, ctx) => {
  const now = new Date().toISOString();
  const row = await tags.insertTag(ctx.db, {
    id: uuidv7(),
    store_id: body.storeId,
    name: body.name,
    created_at: now,
    updated_at: now,
  });
  if (row === 'missing-parent') return unprocessable(`No store has the id ${body.storeId}; create the store first.`);
  if (row === 'duplicate') return taken(body.name);
  return { status: 201, headers: { Location: ctx.url(`/tags/${row.id}`) }, body: toTag(row) };
};

export const getTag: Handler<'getTag'> = async ({ path }, ctx) => {
  const row = await tags.findTag(ctx.db, path.tagId);
  return row ? { status: 200, body: toTag(row) } : missing(path.tagId);
};

export const updateTag: Handler<'updateTag'> = async ({ path, body }, ctx) => {
  const changes = body.name === undefined ? {} : { name: body.name };
  const row = await tags.renameTag(ctx.db, path.tagId, changes, new Date().toISOString());
  if (row === 'not-found') return missing(path.tagId);
  if (row === 'duplicate') return taken(body.name ?? '');
  return { status: 200, body: toTag(row) };
};

export const deleteTag: Handler<'deleteTag'> = async ({ path }, ctx) => {
  const outcome = await tags.deleteTag(ctx.db, path.tagId);
  if (outcome === 'deleted') return { status: 204 };
  if (outcome === 'not-found') return missing(path.tagId);
  const items = outcome.inUseBy === 1 ? '1 item' : `${outcome.inUseBy} items`;
  return conflict(`The tag is still on ${items}. Take it off them first: GET /items?tagId=${path.tagId} lists them.`);
};
