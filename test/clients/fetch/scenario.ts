// The real-clients scenario with Node's built-in fetch (undici), run by `npm run test:clients`:
//   tsx test/clients/fetch/scenario.ts <base URL> <default|accept-json> <run id> <password>
// `default` sends what a fetch user writes: no Accept (fetch adds `*/*`), `Content-Type: application/json;
// charset=utf-8` on JSON bodies (fetch has no JSON body of its own; a string body alone would be text/plain).
// `accept-json` sends `Accept: application/json` on every request and a bare `application/json`.
const [base = '', mode = '', run = '', password = ''] = process.argv.slice(2);
if (!base || !['default', 'accept-json'].includes(mode) || !run || !password) {
  console.error('usage: scenario.ts <base URL> <default|accept-json> <run id> <password>');
  process.exit(2);
}
const acceptJson = mode === 'accept-json';
const jsonType = acceptJson ? 'application/json' : 'application/json; charset=utf-8';
const patchType = acceptJson ? 'application/merge-patch+json' : 'application/merge-patch+json; charset=utf-8';
const description = 'Hand-made in Zürich, one of a kind.';
let step = 'start';

class Failure extends Error {}
function check(ok: boolean, message: string): void {
  if (!ok) throw new Failure(message);
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body read by a test; each use checks what it reads
  body: any;
}

async function call(
  method: string,
  path: string,
  options: { token?: string; json?: unknown; patch?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (acceptJson) headers.Accept = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = jsonType;
    body = JSON.stringify(options.json);
  } else if (options.patch !== undefined) {
    headers['Content-Type'] = patchType;
    body = JSON.stringify(options.patch);
  }
  const response = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined && { body }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
}

function expectStatus(answer: Answer, status: number): void {
  check(answer.status === status, `expected ${status}, got ${answer.status}: ${answer.text}`);
}

async function main(): Promise<void> {
  step = 'register';
  const email = `${run}@example.com`;
  const registered = await call('POST', '/users', { json: { email, password } });
  expectStatus(registered, 201);
  check(registered.body.email === email && registered.body.role === 'user', `user ${registered.text}`);

  step = 'sign in';
  const signedIn = await call('POST', '/auth/tokens', { json: { email, password } });
  expectStatus(signedIn, 200);
  const { accessToken, refreshToken } = signedIn.body;
  check(typeof accessToken === 'string' && typeof refreshToken === 'string', `tokens ${signedIn.text}`);

  step = 'create a store';
  const storeName = `Store ${run}`;
  const created = await call('POST', '/stores', { token: accessToken, json: { name: storeName } });
  expectStatus(created, 201);
  const store = created.body;
  check(store.name === storeName, `store ${created.text}`);
  check(
    created.headers.get('location') === `${base}/stores/${store.id}`,
    `Location ${created.headers.get('location')}`,
  );
  check(/^"[^"]+"$/.test(created.headers.get('etag') ?? ''), `ETag ${created.headers.get('etag')}`);

  step = 'create an item at 15.99';
  const made = await call('POST', '/items', {
    token: accessToken,
    json: { storeId: store.id, name: 'my item', price: 15.99, description },
  });
  expectStatus(made, 201);
  const item = made.body;
  check(item.price === 15.99 && /"price":15\.99[,}]/.test(made.text), `price ${made.text}`);
  check(item.description === description && item.storeId === store.id, `item ${made.text}`);

  step = 'list stores with their items';
  const listed = await call('GET', `/stores?include=items&q=${encodeURIComponent(storeName)}`);
  expectStatus(listed, 200);
  // biome-ignore lint/suspicious/noExplicitAny: JSON read by the test
  const found = listed.body.stores.find((s: any) => s.id === store.id);
  check(found !== undefined, `store ${store.id} not listed: ${listed.text}`);
  check(found.items.length === 1, `embedded items ${JSON.stringify(found.items)}`);
  const [embedded] = found.items;
  check(embedded.id === item.id && embedded.price === 15.99, `embedded item ${JSON.stringify(embedded)}`);
  check(embedded.description === description, `embedded description ${embedded.description}`);

  step = 'clear the description with a merge-patch';
  const patched = await call('PATCH', `/items/${item.id}`, { token: accessToken, patch: { description: null } });
  expectStatus(patched, 200);
  check(patched.body.description === null, `description after the patch ${patched.text}`);
  check(patched.body.price === 15.99 && patched.body.name === 'my item', `other fields changed ${patched.text}`);
  const reread = await call('GET', `/items/${item.id}`);
  expectStatus(reread, 200);
  check(reread.body.description === null, `description read back ${reread.text}`);

  step = 'delete the item and the store';
  expectStatus(await call('DELETE', `/items/${item.id}`), 401);
  expectStatus(await call('DELETE', `/items/${item.id}`, { token: accessToken }), 204);
  expectStatus(await call('GET', `/items/${item.id}`), 404);
  expectStatus(await call('DELETE', `/stores/${store.id}`, { token: accessToken }), 204);
  expectStatus(await call('GET', `/stores/${store.id}`), 404);

  step = 'sign out';
  expectStatus(await call('POST', '/auth/tokens/revoke', { token: accessToken, json: { refreshToken } }), 204);
  const refused = await call('POST', '/auth/tokens/refresh', { json: { refreshToken } });
  expectStatus(refused, 401);
  check(refused.headers.get('content-type')?.startsWith('application/problem+json') === true, 'a 401 problem');
  expectStatus(await call('GET', '/users/me', { token: accessToken }), 401);
}

try {
  await main();
  console.log(`fetch, ${mode}: scenario passed`);
} catch (error) {
  console.error(`fetch, ${mode}: FAIL at ${step}: ${(error as Error).message}`);
  process.exit(1);
}
