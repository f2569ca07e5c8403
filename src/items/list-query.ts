import type { Requests } from '../../generated/operations.js';
import { toCents } from './money.js';
import type { ItemFilter } from './repository.js';

export type ListItemsQuery = Requests<never>['listItems']['query'];

/** What a listItems cursor is bound to: the filters and sort (not the page size, which may change between pages). */
export function listItemsScope(query: Omit<ListItemsQuery, 'limit' | 'cursor'>): unknown[] {
  return ['listItems', query.storeId, query.tagId, query.minPrice, query.maxPrice, query.q, query.sort];
}

export function itemFilter(query: ListItemsQuery): ItemFilter {
  return {
    storeId: query.storeId,
    tagId: query.tagId,
    minCents: query.minPrice === undefined ? undefined : toCents(query.minPrice),
    maxCents: query.maxPrice === undefined ? undefined : toCents(query.maxPrice),
    q: query.q,
  };
}
