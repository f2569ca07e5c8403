// Compile-time tests of the typed bindings: `npm run typecheck` compiles this file, and each `@ts-expect-error`
// fails the build if the line below it ever compiles. Nothing here runs.
import type { Handlers } from '../../generated/operations.js';
import { handlers } from '../../src/handlers.js';
import type { Handler, HandlerContext } from '../../src/http/context.js';
import type { Principal } from '../../src/http/principal.js';

// The real handlers are the whole API.
handlers satisfies Handlers<HandlerContext, Principal>;

// Removing a handler is a compile error.
const { getStore: _removed, ...withoutGetStore } = handlers;
// @ts-expect-error getStore is missing
withoutGetStore satisfies Handlers<HandlerContext, Principal>;

// A handler for an operation the spec does not have is a compile error (src/handlers.ts lists its members
// explicitly, so TypeScript checks each one against Handlers).
// @ts-expect-error archiveStore is not an operation
export const extra: Partial<Handlers<HandlerContext, Principal>> = { archiveStore: handlers.getStore };

const problem = { type: '/problems/x', title: 'X', status: 418, detail: 'x' };

// @ts-expect-error getStore does not declare 418
export const undeclaredStatus: Handler<'getStore'> = async () => ({ status: 418, body: problem });

// @ts-expect-error deleteStore's 204 has no body
export const bodyOn204: Handler<'deleteStore'> = async () => ({ status: 204, body: problem });

// @ts-expect-error getStore's 200 declares no headers
export const undeclaredHeader: Handler<'getStore'> = async () => ({
  status: 200,
  headers: { 'X-Debug': '1' },
  body: { id: 'x', name: 'x', ownerId: null, createdAt: 'x', updatedAt: 'x' },
});

// @ts-expect-error createStore's 201 must send Location
export const missingLocation: Handler<'createStore'> = async () => ({
  status: 201,
  body: { id: 'x', name: 'x', ownerId: null, createdAt: 'x', updatedAt: 'x' },
});

// @ts-expect-error the Store body needs a name
export const wrongBody: Handler<'getStore'> = async () => ({
  status: 200,
  body: { id: 'x', ownerId: null, createdAt: 'x', updatedAt: 'x' },
});

// Requests are typed from the spec: defaulted query parameters are present, path parameters are strings.
export const typedRequest: Handler<'listItems'> = async ({ query }) => {
  const limit: number = query.limit;
  const sort: 'name' | '-name' | 'price' | '-price' | 'createdAt' | '-createdAt' = query.sort;
  // @ts-expect-error minPrice is optional
  const minPrice: number = query.minPrice;
  return { status: 200, body: { items: [], next: `${limit}${sort}${minPrice}` } };
};

// A secured operation's handler always has its principal; a public one has none to read.
export const securedHasPrincipal: Handler<'createStore'> = async ({ principal, body }) => ({
  status: 201,
  headers: { Location: 'http://localhost/stores/x' },
  body: { id: 'x', name: body.name, ownerId: principal.userId, createdAt: 'x', updatedAt: 'x' },
});
// @ts-expect-error listStores is public: no principal
export const publicHasNone: Handler<'listStores'> = async ({ principal }) => ({
  status: 200,
  body: { stores: [], next: principal },
});
