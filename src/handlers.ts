import type { Handlers } from '../generated/operations.js';
import { createToken, refreshToken, revokeAllTokens, revokeToken } from './auth/handlers.js';
import { checkLiveness, checkReadiness } from './health/handlers.js';
import type { HandlerContext } from './http/context.js';
import type { Principal } from './http/principal.js';
import { createItem, deleteItem, getItem, listItems, replaceItem, updateItem } from './items/handlers.js';
import { tagItem, untagItem } from './items/tagging-handlers.js';
import { createStore, deleteStore, getStore, listStores, updateStore } from './stores/handlers.js';
import { createTag, deleteTag, getTag, listTags, updateTag } from './tags/handlers.js';
import { deleteUser, getCurrentUser, getUser, registerUser } from './users/handlers.js';
import { changePassword } from './users/password-handlers.js';

/**
 * The whole API: one handler per operationId in openapi.yaml. `satisfies` makes a missing operation, an extra
 * one, an undeclared status or a wrong body shape a compile error.
 */
export const handlers = {
  listStores,
  createStore,
  getStore,
  updateStore,
  deleteStore,
  listItems,
  createItem,
  getItem,
  replaceItem,
  updateItem,
  deleteItem,
  tagItem,
  untagItem,
  listTags,
  createTag,
  getTag,
  updateTag,
  deleteTag,
  registerUser,
  getCurrentUser,
  getUser,
  deleteUser,
  changePassword,
  createToken,
  revokeAllTokens,
  refreshToken,
  revokeToken,
  checkLiveness,
  checkReadiness,
} satisfies Handlers<HandlerContext, Principal>;
