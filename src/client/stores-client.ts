import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from '../../generated/openapi.js';

// The typed TypeScript client of the API: openapi-fetch over the types generated from openapi.yaml, so every
// path, parameter, body and answer (errors included) is checked by the compiler. Exported as `stores-api/client`.

export type { components, operations, paths };
export type Problem = components['schemas']['Problem'];
export type StoresClient = Client<paths>;

export interface StoresClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** The API's origin, such as `https://api.example.com` or `http://localhost:4010` (the mock). */
  baseUrl: string;
  /** The access token to send, read before each request (so a refreshed one is picked up); none when undefined. */
  accessToken?: () => string | undefined;
}

/**
 * A client for every operation: `client.GET('/stores/{storeId}', { params: { path: { storeId } } })` answers
 * `{ data }` (typed by the spec) on success, or `{ error }` (a typed `Problem`) with `response.status`.
 * Every PATCH of this API takes a JSON Merge Patch, so PATCH bodies are sent as `application/merge-patch+json`.
 */
export function createStoresClient({ accessToken, ...options }: StoresClientOptions): StoresClient {
  const client = createClient<paths>(options);
  client.use({
    onRequest({ request }) {
      const token = accessToken?.();
      if (token !== undefined) request.headers.set('Authorization', `Bearer ${token}`);
      if (request.method === 'PATCH') request.headers.set('Content-Type', 'application/merge-patch+json');
      return request;
    },
  });
  return client;
}

/** The `cursor` of a page's `next` link, to ask for the following page; undefined on the last page. */
export function cursorOf(next: string | undefined): string | undefined {
  return next === undefined ? undefined : (new URL(next).searchParams.get('cursor') ?? undefined);
}
