import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { givenItem, givenStore, givenTag, unknownId } from '../helpers/fixtures.js';
import { createTestApp, mergePatch, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

/** Timestamps have millisecond precision: waiting a little makes "updatedAt moved" observable. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

const tagItem = (itemId: string, tagId: string) => t.request({ method: 'PUT', url: `/items/${itemId}/tags/${tagId}` });
const untagItem = (itemId: string, tagId: string) =>
  t.request({ method: 'DELETE', url: `/items/${itemId}/tags/${tagId}` });
const getItem = (itemId: string) => t.request({ method: 'GET', url: `/items/${itemId}` });

async function itemsTagged(tagId: string): Promise<string[]> {
  const response = await t.request({ method: 'GET', url: `/items?tagId=${tagId}` });
  expect(response.statusCode).toBe(200);
  return response.data.items.map((i: { id: string }) => i.id);
}

async function links() {
  return t.db.selectFrom('item_tags').select(['item_id', 'tag_id']).execute();
}

describe('tagItem', () => {
  it('answers 200 with the item carrying the tag, moves updatedAt, and lists the item under the tag', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const tag = await givenTag(t, store.id, 'sale');
    await tick();
    const response = await tagItem(item.id, tag.id);
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({
      ...item,
      tags: [{ id: tag.id, name: 'sale' }],
      updatedAt: response.data.updatedAt,
    });
    expect(response.data.updatedAt > item.updatedAt).toBe(true);
    expect((await getItem(item.id)).data).toEqual(response.data);
    expect(await itemsTagged(tag.id)).toEqual([item.id]);
  });

  it('is idempotent: tagging twice answers the same item, leaves one link and does not move updatedAt', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const tag = await givenTag(t, store.id);
    const first = await tagItem(item.id, tag.id);
    await tick();
    const second = await tagItem(item.id, tag.id);
    expect(second.statusCode).toBe(200);
    expect(second.data).toEqual(first.data);
    expect(second.data.tags).toEqual([{ id: tag.id, name: tag.name }]);
    expect(await links()).toEqual([{ item_id: item.id, tag_id: tag.id }]);
    expect(await itemsTagged(tag.id)).toEqual([item.id]);
  });

  it('answers 422 for a tag of another store, and links nothing', async () => {
    const store = await givenStore(t, 'My Store');
    const other = await givenStore(t, 'Other Store');
    const item = await givenItem(t, store.id);
    const foreign = await givenTag(t, other.id, 'sale');
    const response = await tagItem(item.id, foreign.id);
    expect(response.statusCode).toBe(422);
    expect(response.data).toMatchObject({ status: 422, type: '/problems/unprocessable' });
    expect((await getItem(item.id)).data).toEqual(item);
    expect(await itemsTagged(foreign.id)).toEqual([]);
    expect(await links()).toEqual([]);
  });

  it('answers 404 for an item or a tag that does not exist, and links nothing', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const tag = await givenTag(t, store.id);
    for (const [itemId, tagId] of [
      [unknownId, tag.id],
      ['nope', tag.id],
      [item.id, unknownId],
      [item.id, 'nope'],
      [unknownId, unknownId],
    ] as const) {
      const response = await tagItem(itemId, tagId);
      expect(response.statusCode, `${itemId} ${tagId}`).toBe(404);
      expect(response.data).toMatchObject({
        status: 404,
        type: '/problems/not-found',
        instance: `/items/${itemId}/tags/${tagId}`,
      });
    }
    expect(await links()).toEqual([]);
    expect((await getItem(item.id)).data).toEqual(item);
  });

  it('answers 400 for ids with characters no id has', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const response = await tagItem(item.id, 'a.b');
    expect(response.statusCode).toBe(400);
    expect(response.data.errors[0]).toMatchObject({ location: 'path', pointer: '/tagId' });
  });

  it('keeps the tags on an item sorted by name, whatever order they were put on in', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    let last = item;
    for (const name of ['winter', 'clearance', 'sale', 'new']) {
      const tag = await givenTag(t, store.id, name);
      const response = await tagItem(item.id, tag.id);
      expect(response.statusCode).toBe(200);
      last = response.data;
    }
    expect(last.tags.map((tag) => tag.name)).toEqual(['clearance', 'new', 'sale', 'winter']);
    expect((await getItem(item.id)).data.tags).toEqual(last.tags);
    const listed = await t.request({ method: 'GET', url: `/items?storeId=${store.id}` });
    expect(listed.data.items[0].tags).toEqual(last.tags);
  });

  it('shows a renamed tag under its new name on the item, in its new place', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const sale = await givenTag(t, store.id, 'sale');
    const new_ = await givenTag(t, store.id, 'new');
    for (const tag of [sale, new_]) expect((await tagItem(item.id, tag.id)).statusCode).toBe(200);
    const renamed = await t.request(mergePatch(`/tags/${sale.id}`, { name: 'clearance' }));
    expect(renamed.statusCode).toBe(200);
    const fetched = await getItem(item.id);
    expect(fetched.data.tags).toEqual([
      { id: sale.id, name: 'clearance' },
      { id: new_.id, name: 'new' },
    ]);
  });
});

describe('untagItem', () => {
  it('answers 200 with the item no longer carrying the tag, and moves updatedAt', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const sale = await givenTag(t, store.id, 'sale');
    const kept = await givenTag(t, store.id, 'new');
    await tagItem(item.id, sale.id);
    const tagged = await tagItem(item.id, kept.id);
    await tick();
    const response = await untagItem(item.id, sale.id);
    expect(response.statusCode).toBe(200);
    expect(response.data.tags).toEqual([{ id: kept.id, name: 'new' }]);
    expect(response.data.updatedAt > tagged.data.updatedAt).toBe(true);
    expect((await getItem(item.id)).data).toEqual(response.data);
    expect(await itemsTagged(sale.id)).toEqual([]);
    expect(await itemsTagged(kept.id)).toEqual([item.id]);
    expect((await t.request({ method: 'GET', url: `/tags/${sale.id}` })).statusCode).toBe(200);
  });

  it('is idempotent: untagging again, or a tag never put on, answers the same item and moves nothing', async () => {
    const store = await givenStore(t, 'My Store');
    const other = await givenStore(t, 'Other Store');
    const item = await givenItem(t, store.id);
    const tag = await givenTag(t, store.id);
    const never = await givenTag(t, store.id, 'never');
    const foreign = await givenTag(t, other.id, 'foreign');
    await tagItem(item.id, tag.id);
    const first = await untagItem(item.id, tag.id);
    expect(first.statusCode).toBe(200);
    await tick();
    for (const tagId of [tag.id, never.id, foreign.id]) {
      const again = await untagItem(item.id, tagId);
      expect(again.statusCode, tagId).toBe(200);
      expect(again.data, tagId).toEqual(first.data);
    }
    expect(first.data.tags).toEqual([]);
    expect((await getItem(item.id)).data).toEqual(first.data);
  });

  it('answers 404 for an item or a tag that does not exist, and keeps the links there are', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const tag = await givenTag(t, store.id);
    const tagged = await tagItem(item.id, tag.id);
    for (const [itemId, tagId] of [
      [unknownId, tag.id],
      [item.id, unknownId],
      [item.id, 'nope'],
    ] as const) {
      const response = await untagItem(itemId, tagId);
      expect(response.statusCode, `${itemId} ${tagId}`).toBe(404);
      expect(response.data).toMatchObject({ status: 404, type: '/problems/not-found' });
    }
    expect((await getItem(item.id)).data).toEqual(tagged.data);
    expect(await links()).toEqual([{ item_id: item.id, tag_id: tag.id }]);
  });
});

describe('the tag limit', () => {
  it('puts at most 100 tags on an item: the 101st is 422, and relinking one it has still works', async () => {
    const store = await givenStore(t);
    const item = await givenItem(t, store.id);
    const tags = [];
    for (let i = 0; i < 101; i++) tags.push(await givenTag(t, store.id, `tag ${String(i).padStart(3, '0')}`));
    for (const tag of tags.slice(0, 100)) {
      expect((await t.request({ method: 'PUT', url: `/items/${item.id}/tags/${tag.id}` })).statusCode).toBe(200);
    }
    const extra = await t.request({ method: 'PUT', url: `/items/${item.id}/tags/${tags[100]?.id}` });
    expect(extra.statusCode).toBe(422);
    expect(extra.data.detail).toContain('100 tags already');
    const again = await t.request({ method: 'PUT', url: `/items/${item.id}/tags/${tags[0]?.id}` });
    expect(again.statusCode).toBe(200);
    expect(again.data.tags).toHaveLength(100);
  });
});
