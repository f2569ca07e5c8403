// The SDK scenario for openapi-generator's `typescript-fetch` client, run by `npm run test:sdk`: the same life of a
// store as test/sdk/python/scenario.py, through the client openapi-generator makes with its defaults from the
// server's /openapi.json (copied next to this file as ./client). `tsc --strict` checks this file with the client
// first; each assertType line fails that check if the generator ever degrades one of our schemas to `any`.
// (Excluded from the project's own tsconfig: the client it imports exists only in the test's temporary folder.)
import {
  AuthApi,
  Configuration,
  type Item,
  type ItemList,
  ItemsApi,
  type ItemTag,
  type Problem,
  ProblemFromJSON,
  ResponseError,
  type Store,
  StoresApi,
  type Tag,
  TagsApi,
  type TokenPair,
  type User,
  UsersApi,
} from './client';

const password = 'correct horse battery staple';
let step = 'start';

function fail(message: string): never {
  console.error(`FAIL at ${step}: ${message}`);
  process.exit(1);
}

function check(ok: boolean, message: string): void {
  if (!ok) fail(message);
}

/** True only when A and B are the same type (so `any` matches nothing but `any`). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when the value's static type is exactly T: the TypeScript form of mypy's assert_type. */
function assertType<T>() {
  return <V>(value: V, ..._exactly: Same<V, T> extends true ? [] : [`the type is not exactly the one expected`]) =>
    value;
}

/** The typed problem of an error answer, which must have this status. */
async function problemOf(request: Promise<unknown>, status: number): Promise<Problem> {
  const error = await request.then(
    () => fail(`expected a ${status} problem, the request succeeded`),
    (e: unknown) => e,
  );
  if (!(error instanceof ResponseError) || error.response.status !== status) {
    fail(`expected a ${status} problem, got ${error instanceof ResponseError ? error.response.status : error}`);
  }
  return ProblemFromJSON(await error.response.json());
}

async function main(base: string): Promise<void> {
  const unique = `${Date.now()}${process.pid}`;
  const anonymous = new Configuration({ basePath: base });

  step = 'register';
  const email = `typescript-fetch-${unique}@example.com`;
  const registered = await new UsersApi(anonymous).registerUserRaw({ userRegistration: { email, password } });
  check(registered.raw.status === 201, `status ${registered.raw.status}`);
  const user = assertType<User>()(await registered.value());
  check(user.role === 'user' && user.email === email, `user ${JSON.stringify(user)}`);

  step = 'sign in';
  const tokens = assertType<TokenPair>()(
    await new AuthApi(anonymous).createToken({ credentials: { email, password } }),
  );
  assertType<string>()(tokens.accessToken);
  assertType<number>()(tokens.expiresIn);
  // The bearer token goes into the configuration, as the generated README shows.
  const api = new Configuration({ basePath: base, accessToken: tokens.accessToken });
  const stores = new StoresApi(api);
  const items = new ItemsApi(api);
  const tags = new TagsApi(api);

  step = 'create a store';
  const storeName = `typescript-fetch Store ${unique}`;
  const createdStore = await stores.createStoreRaw({ storeCreate: { name: storeName } });
  check(createdStore.raw.status === 201, `status ${createdStore.raw.status}`);
  const store = assertType<Store>()(await createdStore.value());
  check(store.name === storeName, `store ${JSON.stringify(store)}`);
  const location = createdStore.raw.headers.get('Location') ?? '';
  check(location.endsWith(`/stores/${store.id}`), `Location ${location}`);

  step = 'create an item at 15.99';
  const item = assertType<Item>()(
    await items.createItem({
      itemCreate: { storeId: store.id, name: 'my item', price: 15.99, description: 'Hand-made, one of a kind.' },
    }),
  );
  assertType<number>()(item.price);
  assertType<string | null>()(item.description);
  assertType<Date>()(item.createdAt);
  check(item.price === 15.99, `price ${item.price}`);
  const fetched = await items.getItem({ itemId: item.id });
  check(fetched.price === 15.99, `price read back ${fetched.price}`);
  const onTheWire = await (await items.getItemRaw({ itemId: item.id })).raw.text();
  check(/"price":15\.99[,}]/.test(onTheWire), `price on the wire ${onTheWire}`);

  step = 'tag it';
  const tag = assertType<Tag>()(await tags.createTag({ tagCreate: { storeId: store.id, name: 'sale' } }));
  const tagged = await items.tagItem({ itemId: item.id, tagId: tag.id });
  assertType<ItemTag[]>()(tagged.tags);
  check(tagged.tags.length === 1 && tagged.tags[0]?.id === tag.id && tagged.tags[0]?.name === 'sale', 'tags');

  step = 'list items filtered by tag';
  for (const [name, price] of [
    ['apple', 1.1],
    ['banana', 2.5],
    ['cherry', 0.99],
    ['damson', 3],
  ] as const) {
    await items.createItem({ itemCreate: { storeId: store.id, name, price } });
  }
  const withTag = assertType<ItemList>()(await items.listItems({ tagId: tag.id }));
  assertType<Item[]>()(withTag.items);
  check(
    withTag.items.length === 1 && withTag.items[0]?.id === item.id && withTag.items[0]?.price === 15.99,
    `items with the tag ${JSON.stringify(withTag.items)}`,
  );

  step = 'sort by price, descending (the sort value, not a generated member name)';
  const byPrice = await items.listItems({ storeId: store.id, sort: '-price' });
  const order = byPrice.items.map((i) => i.name).join(',');
  check(order === 'my item,damson,banana,apple,cherry', `order ${order}`);

  step = 'page through a list';
  const names: string[] = [];
  let cursor: string | undefined;
  for (let pages = 1; ; pages++) {
    check(pages <= 5, 'more pages than items');
    const page = await items.listItems({ storeId: store.id, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
    names.push(...page.items.map((i) => i.name));
    const next = assertType<string | undefined>()(page.next);
    if (next === undefined) break;
    const url = new URL(next);
    check(/^https?:$/.test(url.protocol) && url.searchParams.getAll('cursor').length === 1, `next ${next}`);
    cursor = url.searchParams.get('cursor') ?? undefined;
  }
  check(names.join(',') === 'apple,banana,cherry,damson,my item', `names over all pages ${names}`);

  step = 'clear a nullable field with a merge-patch';
  check(item.description === 'Hand-made, one of a kind.', `description before ${item.description}`);
  const cleared = await items.updateItem({ itemId: item.id, itemPatch: { description: null } });
  check(cleared.description === null, `description after ${cleared.description}`);
  check(cleared.price === 15.99 && cleared.name === 'my item', `other fields changed: ${JSON.stringify(cleared)}`);

  step = 'a 404 as a typed problem';
  const problem = await problemOf(items.getItem({ itemId: 'no-such-item' }), 404);
  assertType<number>()(problem.status);
  check(problem.status === 404 && problem.type === '/problems/not-found' && problem.detail !== '', `${problem.detail}`);

  step = 'delete';
  check((await items.deleteItemRaw({ itemId: item.id })).raw.status === 204, 'deleting the item');
  await problemOf(items.getItem({ itemId: item.id }), 404);
  check((await stores.deleteStoreRaw({ storeId: store.id })).raw.status === 204, 'deleting the store');
  await problemOf(stores.getStore({ storeId: store.id }), 404);

  console.log(
    'typescript-fetch scenario passed: register, sign in, create a store, an item at 15.99, tag it, filter by tag,' +
      ' sort by -price, page, clear a field, 404, delete',
  );
}

if (process.argv.length !== 3) fail('usage: scenario.ts <base URL>');
main(process.argv[2] ?? '').catch((error: unknown) => fail(`${error instanceof Error ? error.stack : error}`));
