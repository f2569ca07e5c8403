import type { Handler } from '../http/context.js';
import { notFound, unprocessable } from '../http/problem.js';
import { toItem } from './representation.js';
import { linkTag, maxTagsPerItem, type TaggingOutcome, unlinkTag } from './tagging-repository.js';

export const tagItem: Handler<'tagItem'> = async ({ path }, ctx) => {
  const outcome = await linkTag(ctx.db, path.itemId, path.tagId, new Date().toISOString());
  if (!outcome.ok && outcome.reason === 'other-store') {
    return unprocessable(`The tag ${path.tagId} belongs to another store than the item ${path.itemId}.`);
  }
  if (!outcome.ok && outcome.reason === 'too-many-tags') {
    return unprocessable(`The item carries ${maxTagsPerItem} tags already, the most it may.`);
  }
  return answer(outcome, path, ctx);
};

export const untagItem: Handler<'untagItem'> = async ({ path }, ctx) => {
  return answer(await unlinkTag(ctx.db, path.itemId, path.tagId, new Date().toISOString()), path, ctx);
};

async function answer(
  outcome: TaggingOutcome,
  path: { itemId: string; tagId: string },
  ctx: Parameters<Handler<'tagItem'>>[1],
) {
  if (outcome.ok) return { status: 200 as const, body: await toItem(ctx.db, outcome.item) };
  if (outcome.reason === 'item-missing') return notFound(`No item has the id ${path.itemId}.`);
  return notFound(`No tag has the id ${path.tagId}.`);
}
