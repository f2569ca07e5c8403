import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

// Fixtures are made through the API itself, so every test exercises the same paths a client does.

export async function givenStore(t: TestApp, name = 'My Store') {
  const response = await t.request({ method: 'POST', url: '/stores', payload: { name } });
  expect(response.statusCode).toBe(201);
  return response.data as { id: string; name: string; createdAt: string; updatedAt: string };
}

export async function givenItem(t: TestApp, storeId: string, name = 'my item', price = 15.99, description?: string) {
  const payload = description === undefined ? { storeId, name, price } : { storeId, name, price, description };
  const response = await t.request({ method: 'POST', url: '/items', payload });
  expect(response.statusCode).toBe(201);
  return response.data as {
    id: string;
    storeId: string;
    name: string;
    description: string | null;
    price: number;
    tags: { id: string; name: string }[];
    createdAt: string;
    updatedAt: string;
  };
}

export async function givenTag(t: TestApp, storeId: string, name = 'sale') {
  const response = await t.request({ method: 'POST', url: '/tags', payload: { storeId, name } });
  expect(response.statusCode).toBe(201);
  return response.data as { id: string; storeId: string; name: string; createdAt: string; updatedAt: string };
}

/** Follows `next` links from `url` to the last page and returns every page's collection, in order. */
export async function walkPages<T>(t: TestApp, url: string, key: string): Promise<{ pages: T[][]; all: T[] }> {
  const pages: T[][] = [];
  let next: string | undefined = url;
  while (next !== undefined) {
    const response = await t.request({ method: 'GET', url: next.replace(/^https?:\/\/[^/]+/, '') });
    expect(response.statusCode).toBe(200);
    pages.push(response.data[key]);
    next = response.data.next;
    expect(next).not.toBeNull();
    if (pages.length > 1000) throw new Error('too many pages');
  }
  return { pages, all: pages.flat() };
}

export const unknownId = '01936d3e-0000-7000-8000-000000000000';
