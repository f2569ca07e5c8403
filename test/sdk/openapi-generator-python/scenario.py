"""The SDK scenario for openapi-generator's `python` client, run by `npm run test:sdk`.

The same life of a store as test/sdk/python/scenario.py, through the client openapi-generator makes with its
defaults (package `openapi_client`, pydantic v2 models) from the server's /openapi.json. mypy --strict checks this
file against the installed package first: the assert_type lines fail that check if the generator ever degrades one
of our schemas to Any or a dict.
"""

import json
import sys
import time
from typing import NoReturn, TypeVar, assert_type
from urllib.parse import parse_qs, urlsplit

from openapi_client import ApiClient, Configuration
from openapi_client.api.auth_api import AuthApi
from openapi_client.api.items_api import ItemsApi
from openapi_client.api.stores_api import StoresApi
from openapi_client.api.tags_api import TagsApi
from openapi_client.api.users_api import UsersApi
from openapi_client.api_response import ApiResponse
from openapi_client.exceptions import ApiException, NotFoundException
from openapi_client.models.credentials import Credentials
from openapi_client.models.item import Item
from openapi_client.models.item_create import ItemCreate
from openapi_client.models.item_list import ItemList
from openapi_client.models.item_patch import ItemPatch
from openapi_client.models.item_tag import ItemTag
from openapi_client.models.problem import Problem
from openapi_client.models.store import Store
from openapi_client.models.store_create import StoreCreate
from openapi_client.models.tag import Tag
from openapi_client.models.tag_create import TagCreate
from openapi_client.models.token_pair import TokenPair
from openapi_client.models.user import User
from openapi_client.models.user_registration import UserRegistration

PASSWORD = "correct horse battery staple"
T = TypeVar("T")
step = "start"


def fail(message: str) -> NoReturn:
    print(f"FAIL at {step}: {message}", file=sys.stderr)
    sys.exit(1)


def check(ok: bool, message: str) -> None:
    if not ok:
        fail(message)


def expect(response: ApiResponse[T], status: int) -> T:
    """The parsed body of a response that must have this status."""
    if response.status_code != status:
        fail(f"expected {status}, got {response.status_code}: {response.raw_data!r}")
    return response.data


def problem_of(error: ApiException, status: int) -> Problem:
    """The typed problem the client parsed from an error answer, which must have this status."""
    if error.status != status or not isinstance(error.data, Problem):
        fail(f"expected a {status} problem, got {error.status}: {error.body!r}")
    return error.data


def main(base: str) -> None:
    global step
    unique = time.time_ns()
    anonymous = ApiClient(Configuration(host=base))

    step = "register"
    email = f"openapi-generator-python-{unique}@example.com"
    registered = UsersApi(anonymous).register_user_with_http_info(UserRegistration(email=email, password=PASSWORD))
    user = expect(registered, 201)
    assert_type(user, User)
    assert_type(user.role, str)
    check(user.role == "user" and user.email == email, f"user {user}")

    step = "sign in"
    tokens = expect(AuthApi(anonymous).create_token_with_http_info(Credentials(email=email, password=PASSWORD)), 200)
    assert_type(tokens, TokenPair)
    assert_type(tokens.access_token, str)
    assert_type(tokens.expires_in, int)
    # The bearer token goes into the configuration, as the generated README shows.
    api = ApiClient(Configuration(host=base, access_token=tokens.access_token))
    stores, items, tags = StoresApi(api), ItemsApi(api), TagsApi(api)

    step = "create a store"
    store_name = f"openapi-generator Python Store {unique}"
    created_store = stores.create_store_with_http_info(StoreCreate(name=store_name))
    store = expect(created_store, 201)
    assert_type(store, Store)
    check(store.name == store_name, f"store {store}")
    # ApiResponse.headers is a plain dict of the names as sent (pydantic copies urllib3's case-insensitive one).
    location = {name.lower(): value for name, value in (created_store.headers or {}).items()}.get("location", "")
    check(location.endswith(f"/stores/{store.id}"), f"Location {location!r}")

    step = "create an item at 15.99"
    # pydantic models take the JSON names (storeId) in their constructors, as mypy sees them.
    created_item = items.create_item_with_http_info(
        ItemCreate(storeId=store.id, name="my item", price=15.99, description="Hand-made, one of a kind.")
    )
    item = expect(created_item, 201)
    assert_type(item, Item)
    assert_type(item.price, float | int)
    assert_type(item.description, str | None)
    check(item.price == 15.99, f"price {item.price}")
    fetched = expect(items.get_item_with_http_info(item.id), 200)
    check(fetched.price == 15.99, f"price read back {fetched.price}")
    on_the_wire = items.get_item_with_http_info(item.id).raw_data
    check(json.loads(on_the_wire, parse_float=str)["price"] == "15.99", f"price on the wire {on_the_wire!r}")

    step = "tag it"
    tag = expect(tags.create_tag_with_http_info(TagCreate(storeId=store.id, name="sale")), 201)
    assert_type(tag, Tag)
    tagged = expect(items.tag_item_with_http_info(item.id, tag.id), 200)
    assert_type(tagged.tags, list[ItemTag])
    check([(t.id, t.name) for t in tagged.tags] == [(tag.id, "sale")], f"tags {tagged.tags}")

    step = "list items filtered by tag"
    for name, price in [("apple", 1.1), ("banana", 2.5), ("cherry", 0.99), ("damson", 3.0)]:
        expect(items.create_item_with_http_info(ItemCreate(storeId=store.id, name=name, price=price)), 201)
    with_tag = expect(items.list_items_with_http_info(tag_id=tag.id), 200)
    assert_type(with_tag, ItemList)
    assert_type(with_tag.items, list[Item])
    check([(i.id, i.price) for i in with_tag.items] == [(item.id, 15.99)], f"items with the tag {with_tag.items}")

    step = "sort by price, descending (the sort value, not a generated member name)"
    by_price = expect(items.list_items_with_http_info(store_id=store.id, sort="-price"), 200)
    check([i.name for i in by_price.items] == ["my item", "damson", "banana", "apple", "cherry"], f"{by_price.items}")

    step = "page through a list"
    names: list[str] = []
    cursor: str | None = None
    for _ in range(5):
        page = expect(items.list_items_with_http_info(store_id=store.id, limit=2, cursor=cursor), 200)
        names += [i.name for i in page.items]
        assert_type(page.next, str | None)
        if page.next is None:
            break
        cursors = parse_qs(urlsplit(page.next).query).get("cursor", [])
        check(page.next.startswith(("http://", "https://")) and len(cursors) == 1, f"next {page.next}")
        cursor = cursors[0]
    check(names == ["apple", "banana", "cherry", "damson", "my item"], f"names over all pages {names}")

    step = "clear a nullable field with a merge-patch"
    check(item.description == "Hand-made, one of a kind.", f"description before {item.description!r}")
    cleared = expect(items.update_item_with_http_info(item.id, ItemPatch(description=None)), 200)
    check(cleared.description is None, f"description after {cleared.description!r}")
    check(cleared.price == 15.99 and cleared.name == "my item", f"other fields changed: {cleared}")

    step = "a 404 as a typed problem"
    try:
        items.get_item_with_http_info("no-such-item")
        fail("no error for an item that does not exist")
    except NotFoundException as error:
        problem = problem_of(error, 404)
    assert_type(problem.status, int)
    check(problem.status == 404 and problem.type == "/problems/not-found" and problem.detail != "", f"{problem}")

    step = "delete"
    check(items.delete_item_with_http_info(item.id).status_code == 204, "deleting the item")
    try:
        items.get_item_with_http_info(item.id)
        fail("the deleted item is still there")
    except NotFoundException as error:
        problem_of(error, 404)
    check(stores.delete_store_with_http_info(store.id).status_code == 204, "deleting the store")
    try:
        stores.get_store_with_http_info(store.id)
        fail("the deleted store is still there")
    except NotFoundException as error:
        problem_of(error, 404)

    print(
        "openapi-generator python scenario passed: register, sign in, create a store, an item at 15.99, tag it,"
        " filter by tag, sort by -price, page, clear a field, 404, delete"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("usage: scenario.py <base URL>")
    main(sys.argv[1])
