// The four scenarios of the benchmark. Each gives the next request to send (cycling over the seeded stores and
// items) and the one status every answer must have; a run with any other status fails.
import type { Seeded } from './seed.js';

export interface Scenario {
  name: string;
  status: number;
  next(): { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };
}

export function scenarios(seeded: Seeded, etags: Map<string, string>): Scenario[] {
  const { storeIds, itemIds, accessToken } = seeded;
  let store = 0;
  let list = 0;
  let item = 0;
  let created = 0;
  const run = Date.now().toString(36);
  const tagged = itemIds.filter((id) => etags.has(id));
  return [
    {
      name: 'getStore',
      status: 200,
      next: () => ({ method: 'GET', path: `/stores/${storeIds[store++ % storeIds.length]}` }),
    },
    {
      name: 'listItems',
      status: 200,
      next: () => ({ method: 'GET', path: `/items?storeId=${storeIds[list++ % storeIds.length]}&limit=20` }),
    },
    {
      name: 'getItem (304)',
      status: 304,
      next: () => {
        const id = tagged[item++ % tagged.length] as string;
        return { method: 'GET', path: `/items/${id}`, headers: { 'if-none-match': etags.get(id) as string } };
      },
    },
    {
      name: 'createItem',
      status: 201,
      next: () => {
        const n = created++;
        return {
          method: 'POST',
          path: '/items',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
          body: JSON.stringify({ storeId: storeIds[n % storeIds.length], name: `bench ${run} ${n}`, price: 12.5 }),
        };
      },
    },
  ];
}
