import type { InjectOptions } from 'fastify';
import { type OperationId, operations } from '../../generated/operations.js';
import { givenItem, givenStore, givenTag } from './fixtures.js';
import type { TestApp, TestUser } from './test-app.js';

// One valid request per operation. Typed by OperationId, so an operation added to openapi.yaml does not compile
// until it has a row here, and every table-driven test below covers it.
export interface Ids {
  storeId: string;
  itemId: string;
  tagId: string;
  user: TestUser;
}
export const validRequests: Record<OperationId, (ids: Ids) => { url: string; payload?: unknown }> = {
  listStores: () => ({ url: '/stores' }),
  createStore: () => ({ url: '/stores', payload: { name: 'Another Store' } }),
  getStore: ({ storeId }) => ({ url: `/stores/${storeId}` }),
  updateStore: ({ storeId }) => ({ url: `/stores/${storeId}`, payload: { name: 'Renamed' } }),
  deleteStore: ({ storeId }) => ({ url: `/stores/${storeId}` }),
  listItems: () => ({ url: '/items' }),
  createItem: ({ storeId }) => ({ url: '/items', payload: { storeId, name: 'another item', price: 1 } }),
  getItem: ({ itemId }) => ({ url: `/items/${itemId}` }),
  replaceItem: ({ itemId }) => ({ url: `/items/${itemId}`, payload: { name: 'replaced', price: 2 } }),
  updateItem: ({ itemId }) => ({ url: `/items/${itemId}`, payload: { price: 3 } }),
  deleteItem: ({ itemId }) => ({ url: `/items/${itemId}` }),
  tagItem: ({ itemId, tagId }) => ({ url: `/items/${itemId}/tags/${tagId}` }),
  untagItem: ({ itemId, tagId }) => ({ url: `/items/${itemId}/tags/${tagId}` }),
  listTags: () => ({ url: '/tags' }),
  createTag: ({ storeId }) => ({ url: '/tags', payload: { storeId, name: 'new' } }),
  getTag: ({ tagId }) => ({ url: `/tags/${tagId}` }),
  updateTag: ({ tagId }) => ({ url: `/tags/${tagId}`, payload: { name: 'renamed' } }),
  deleteTag: ({ tagId }) => ({ url: `/tags/${tagId}` }),
  registerUser: () => ({ url: '/users', payload: { email: 'new@example.com', password: 'a long password' } }),
  getCurrentUser: () => ({ url: '/users/me' }),
  getUser: ({ user }) => ({ url: `/users/${user.id}` }),
  deleteUser: ({ user }) => ({ url: `/users/${user.id}` }),
  changePassword: ({ user }) => ({
    url: '/users/me/password',
    payload: { currentPassword: user.password, newPassword: 'a fresh long passphrase' },
  }),
  createToken: ({ user }) => ({ url: '/auth/tokens', payload: { email: user.email, password: user.password } }),
  revokeAllTokens: () => ({ url: '/auth/tokens' }),
  refreshToken: ({ user }) => ({ url: '/auth/tokens/refresh', payload: { refreshToken: user.refreshToken } }),
  revokeToken: ({ user }) => ({ url: '/auth/tokens/revoke', payload: { refreshToken: user.refreshToken } }),
  checkLiveness: () => ({ url: '/healthz' }),
  checkReadiness: () => ({ url: '/readyz' }),
};

export const ids = Object.keys(operations) as OperationId[];

/** A valid request for the operation, on the given fixture: method, URL, and the body in its declared media type. */
export function build(id: OperationId, fixture: Ids, overrides: Partial<InjectOptions> = {}): InjectOptions {
  const { url, payload } = validRequests[id](fixture);
  const operation = operations[id];
  const options: InjectOptions = { method: operation.method, url };
  if (operation.requestBody) {
    options.headers = { 'content-type': operation.requestBody.contentType };
    options.payload = JSON.stringify(payload);
  }
  return { ...options, ...overrides };
}

/** A store with an item and a tag, owned by the app's default user: enough for a valid request to every operation. */
export async function givenFixture(t: TestApp): Promise<Ids> {
  const store = await givenStore(t);
  const item = await givenItem(t, store.id);
  const tag = await givenTag(t, store.id);
  return { storeId: store.id, itemId: item.id, tagId: tag.id, user: t.user };
}
