"""The real-clients scenario with Python's requests or httpx, run by `npm run test:clients`.

    scenario.py <requests|httpx> <base URL> <default|accept-json> <run id> <password>

`default` sends what the library sends by itself: `Accept: */*` and, for `json=` bodies, `Content-Type:
application/json`. `accept-json` adds `Accept: application/json` to every request and sends the `json=` bodies as
`application/json; charset=utf-8`. Merge-patches go as bytes, `application/merge-patch+json; charset=utf-8`.
Each request's headers are read back from the library's own record of what it sent, so the run proves it sent them.
"""

import json
import sys
from decimal import Decimal
from typing import Any, NoReturn
from urllib.parse import quote

import httpx
import requests

DESCRIPTION = "Hand-made in Zürich, one of a kind."
PATCH_TYPE = "application/merge-patch+json; charset=utf-8"
step = "start"


class Answer:
    def __init__(self, status: int, headers: Any, text: str, sent: Any) -> None:
        self.status = status
        self.headers = headers
        self.text = text
        # Prices as Decimal, so that 15.99 must come as exactly 15.99.
        self.body: Any = json.loads(text, parse_float=Decimal) if text else None
        self.sent = sent


class Scenario:
    def __init__(self, library: str, base: str, mode: str, run: str, password: str) -> None:
        self.library, self.base, self.mode, self.run, self.password = library, base, mode, run, password
        self.accept_json = mode == "accept-json"
        self.session: Any = requests.Session() if library == "requests" else httpx.Client()

    def fail(self, message: str) -> NoReturn:
        print(f"{self.library}, {self.mode}: FAIL at {step}: {message}", file=sys.stderr)
        sys.exit(1)

    def check(self, ok: bool, message: str) -> None:
        if not ok:
            self.fail(message)

    def call(self, method: str, path: str, token: str = "", json_body: Any = None, patch: Any = None) -> Answer:
        headers: dict[str, str] = {}
        if self.accept_json:
            headers["Accept"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        kwargs: dict[str, Any] = {"headers": headers}
        if json_body is not None:
            kwargs["json"] = json_body
            if self.accept_json:
                headers["Content-Type"] = "application/json; charset=utf-8"
        elif patch is not None:
            headers["Content-Type"] = PATCH_TYPE
            kwargs["data" if self.library == "requests" else "content"] = json.dumps(patch).encode()
        response = self.session.request(method, f"{self.base}{path}", **kwargs)
        answer = Answer(response.status_code, response.headers, response.text, response.request.headers)
        self.check_sent(answer, json_body is not None, patch is not None)
        return answer

    def check_sent(self, answer: Answer, has_json: bool, has_patch: bool) -> None:
        """The headers that went out are the ones this run is about."""
        accept = answer.sent.get("Accept")
        self.check(accept == ("application/json" if self.accept_json else "*/*"), f"sent Accept {accept!r}")
        content_type = answer.sent.get("Content-Type")
        if has_json:
            wanted = "application/json; charset=utf-8" if self.accept_json else "application/json"
            self.check(content_type == wanted, f"sent Content-Type {content_type!r}, meant {wanted!r}")
        if has_patch:
            self.check(content_type == PATCH_TYPE, f"sent Content-Type {content_type!r}")

    def expect(self, answer: Answer, status: int) -> Any:
        self.check(answer.status == status, f"expected {status}, got {answer.status}: {answer.text}")
        return answer.body

    def main(self) -> None:
        global step
        step = "register"
        email = f"{self.run}@example.com"
        user = self.expect(self.call("POST", "/users", json_body={"email": email, "password": self.password}), 201)
        self.check(user["email"] == email and user["role"] == "user", f"user {user}")

        step = "sign in"
        tokens = self.expect(
            self.call("POST", "/auth/tokens", json_body={"email": email, "password": self.password}), 200
        )
        access, refresh = tokens["accessToken"], tokens["refreshToken"]
        self.check(isinstance(access, str) and isinstance(refresh, str), f"tokens {tokens}")

        step = "create a store"
        store_name = f"Store {self.run}"
        created = self.call("POST", "/stores", access, json_body={"name": store_name})
        store = self.expect(created, 201)
        self.check(store["name"] == store_name, f"store {store}")
        location, etag = created.headers.get("Location"), created.headers.get("ETag") or ""
        self.check(location == f"{self.base}/stores/{store['id']}", f"Location {location}")
        self.check(len(etag) > 2 and etag.startswith('"') and etag.endswith('"'), f"ETag {etag!r}")

        step = "create an item at 15.99"
        body = {"storeId": store["id"], "name": "my item", "price": 15.99, "description": DESCRIPTION}
        item = self.expect(self.call("POST", "/items", access, json_body=body), 201)
        self.check(item["price"] == Decimal("15.99"), f"price {item['price']!r}")
        self.check(item["description"] == DESCRIPTION and item["storeId"] == store["id"], f"item {item}")

        step = "list stores with their items"
        listed = self.expect(self.call("GET", f"/stores?include=items&q={quote(store_name)}"), 200)
        found = [s for s in listed["stores"] if s["id"] == store["id"]]
        self.check(len(found) == 1, f"store {store['id']} not listed: {listed}")
        embedded = [(i["id"], i["price"], i["description"]) for i in found[0]["items"]]
        self.check(embedded == [(item["id"], Decimal("15.99"), DESCRIPTION)], f"embedded items {embedded}")

        step = "clear the description with a merge-patch"
        patched = self.expect(self.call("PATCH", f"/items/{item['id']}", access, patch={"description": None}), 200)
        self.check("description" in patched and patched["description"] is None, f"after the patch {patched}")
        self.check(patched["price"] == Decimal("15.99") and patched["name"] == "my item", f"changed {patched}")
        reread = self.expect(self.call("GET", f"/items/{item['id']}"), 200)
        self.check("description" in reread and reread["description"] is None, f"read back {reread}")

        step = "delete the item and the store"
        self.expect(self.call("DELETE", f"/items/{item['id']}"), 401)
        self.expect(self.call("DELETE", f"/items/{item['id']}", access), 204)
        self.expect(self.call("GET", f"/items/{item['id']}"), 404)
        self.expect(self.call("DELETE", f"/stores/{store['id']}", access), 204)
        self.expect(self.call("GET", f"/stores/{store['id']}"), 404)

        step = "sign out"
        self.expect(self.call("POST", "/auth/tokens/revoke", access, json_body={"refreshToken": refresh}), 204)
        refused = self.call("POST", "/auth/tokens/refresh", json_body={"refreshToken": refresh})
        self.expect(refused, 401)
        content_type = refused.headers.get("Content-Type") or ""
        self.check(content_type.startswith("application/problem+json"), f"a 401 problem: {content_type}")
        self.expect(self.call("GET", "/users/me", access), 401)
        print(f"{self.library}, {self.mode}: scenario passed")


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) != 5 or args[0] not in ("requests", "httpx") or args[2] not in ("default", "accept-json"):
        print(
            "usage: scenario.py <requests|httpx> <base URL> <default|accept-json> <run id> <password>", file=sys.stderr
        )
        sys.exit(2)
    Scenario(*args).main()
