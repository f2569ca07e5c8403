// The scale check's scenarios: list requests whose cost must not grow with the catalogue. Each is measured on a
// small and a large catalogue (seeded alike by seed.ts: item names `item 0000123`, prices 1.00 to 999.99, one or
// two tags per item); the large one's p50 and p99 must stay within 1.5× of the small one's.
import { CursorCodec } from '../../src/http/cursor.js';
import { listItemsScope } from '../../src/items/list-query.js';
import type { Scenario } from './scenarios.js';
import type { Seeded } from './seed.js';

export const scaleTarget = 1.5;

export function scaleScenarios(seeded: Seeded, items: number, cursorSecret: string, tagIds: string[]): Scenario[] {
  const { storeIds } = seeded;
  const cursors = new CursorCodec({ cursorSecret });
  let n = 0;
  const get = (path: string) => ({ method: 'GET' as const, path });
  // Nine tenths of the way through the names, which every item has: a cursor a client reaches by paging far.
  const deepName = `item ${String(Math.floor(items * 0.9)).padStart(7, '0')}`;
  const deepScope = listItemsScope({ sort: 'name' } as Parameters<typeof listItemsScope>[0]);
  const deepCursor = (i: number) => cursors.encode(deepScope, { value: `${deepName.slice(0, -1)}${i % 10}`, id: '' });
  const absent = ['qqq', 'zzz', 'xyz', 'nope', 'absent'];
  return [
    { name: 'storeId', status: 200, next: () => get(`/items?storeId=${storeIds[n++ % storeIds.length]}&limit=20`) },
    // Every name contains "item": the trigram index has more than 1,000 candidates, so the page is read by name.
    { name: 'q matching many', status: 200, next: () => get(`/items?q=item&limit=20`) },
    { name: 'q matching nothing', status: 200, next: () => get(`/items?q=${absent[n++ % absent.length]}&limit=20`) },
    { name: 'tagId', status: 200, next: () => get(`/items?tagId=${tagIds[n++ % tagIds.length]}&limit=20`) },
    {
      name: 'price range by -price',
      status: 200,
      next: () => get(`/items?minPrice=${100 + (n++ % 100)}&maxPrice=${400 + (n % 100)}&sort=-price&limit=20`),
    },
    {
      name: 'deep cursor page',
      status: 200,
      next: () => get(`/items?sort=name&limit=20&cursor=${deepCursor(n++)}`),
    },
  ];
}
