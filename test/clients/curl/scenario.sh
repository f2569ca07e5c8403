#!/usr/bin/env bash
# The real-clients scenario with curl (jq builds and reads the JSON), run by `npm run test:clients`:
#   scenario.sh <base URL> <default|accept-json> <run id> <password>
# `default`: curl's own headers (Accept: */*) and `Content-Type: application/json; charset=utf-8` with --data.
# `accept-json`: `curl --json`, which sends `Content-Type: application/json` and `Accept: application/json`, and
# `-H 'Accept: application/json'` on every request without a JSON body.
set -euo pipefail

if [ $# -ne 4 ] || { [ "$2" != default ] && [ "$2" != accept-json ]; }; then
  echo 'usage: scenario.sh <base URL> <default|accept-json> <run id> <password>' >&2
  exit 2
fi
base=$1 mode=$2 run=$3 password=$4
description='Hand-made in Zürich, one of a kind.'
step=start
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "curl, $mode: FAIL at $step: $*" >&2
  exit 1
}

# call METHOD PATH [token] [json|patch BODY]: the status goes to $status, the body to $work/body (also $body),
# the response headers to $work/headers.
call() {
  local method=$1 path=$2 token=${3:-} kind=${4:-} data=${5:-}
  local args=(--silent --show-error --request "$method" --output "$work/body" --dump-header "$work/headers")
  args+=(--write-out '%{http_code}')
  [ -z "$token" ] || args+=(--header "Authorization: Bearer $token")
  if [ "$kind" = json ] && [ "$mode" = accept-json ]; then
    args+=(--json "$data")
  elif [ "$kind" = json ]; then
    args+=(--header 'Content-Type: application/json; charset=utf-8' --data-binary "$data")
  else
    [ "$mode" = default ] || args+=(--header 'Accept: application/json')
    if [ "$kind" = patch ]; then
      local type='application/merge-patch+json; charset=utf-8'
      [ "$mode" = default ] || type='application/merge-patch+json'
      args+=(--header "Content-Type: $type" --data-binary "$data")
    fi
  fi
  status=$(curl "${args[@]}" "$base$path")
  body=$(cat "$work/body")
}

expect_status() {
  [ "$status" = "$1" ] || fail "expected $1, got $status: $body"
}

# The value of a response header (case-insensitive name), without the trailing CR.
header() {
  grep -i "^$1:" "$work/headers" | head -n 1 | cut -d: -f2- | sed -e 's/^ *//' -e 's/\r$//'
}

# jq over the last body; fails the step on a false/null/absent result.
holds() {
  jq -e "$@" <<<"$body" >/dev/null || fail "$* does not hold for $body"
}

step=register
email="$run@example.com"
call POST /users '' json "$(jq -nc --arg e "$email" --arg p "$password" '{email: $e, password: $p}')"
expect_status 201
holds --arg e "$email" '.email == $e and .role == "user"'

step='sign in'
call POST /auth/tokens '' json "$(jq -nc --arg e "$email" --arg p "$password" '{email: $e, password: $p}')"
expect_status 200
access=$(jq -r .accessToken <<<"$body")
refresh=$(jq -r .refreshToken <<<"$body")
[ -n "$access" ] && [ "$access" != null ] && [ -n "$refresh" ] && [ "$refresh" != null ] || fail "tokens $body"

step='create a store'
store_name="Store $run"
call POST /stores "$access" json "$(jq -nc --arg n "$store_name" '{name: $n}')"
expect_status 201
holds --arg n "$store_name" '.name == $n'
store=$(jq -r .id <<<"$body")
[ "$(header location)" = "$base/stores/$store" ] || fail "Location $(header location)"
[[ "$(header etag)" =~ ^\"[^\"]+\"$ ]] || fail "ETag $(header etag)"

step='create an item at 15.99'
call POST /items "$access" json \
  "$(jq -nc --arg s "$store" --arg d "$description" '{storeId: $s, name: "my item", price: 15.99, description: $d}')"
expect_status 201
[[ "$body" =~ \"price\":15\.99[,}] ]] || fail "price on the wire: $body"
holds --arg s "$store" --arg d "$description" '.price == 15.99 and .storeId == $s and .description == $d'
item=$(jq -r .id <<<"$body")

step='list stores with their items'
query=$(jq -rn --arg n "$store_name" '$n | @uri')
call GET "/stores?include=items&q=$query"
expect_status 200
holds --arg s "$store" --arg i "$item" --arg d "$description" \
  '[.stores[] | select(.id == $s) | .items[] | {id, price, description}] == [{id: $i, price: 15.99, description: $d}]'

step='clear the description with a merge-patch'
call PATCH "/items/$item" "$access" patch '{"description":null}'
expect_status 200
holds '.description == null and (has("description")) and .price == 15.99 and .name == "my item"'
call GET "/items/$item"
expect_status 200
holds '.description == null and has("description")'

step='delete the item and the store'
call DELETE "/items/$item"
expect_status 401
call DELETE "/items/$item" "$access"
expect_status 204
call GET "/items/$item"
expect_status 404
call DELETE "/stores/$store" "$access"
expect_status 204
call GET "/stores/$store"
expect_status 404

step='sign out'
call POST /auth/tokens/revoke "$access" json "$(jq -nc --arg r "$refresh" '{refreshToken: $r}')"
expect_status 204
call POST /auth/tokens/refresh '' json "$(jq -nc --arg r "$refresh" '{refreshToken: $r}')"
expect_status 401
[[ "$(header content-type)" == application/problem+json* ]] || fail "a 401 problem: $(header content-type)"
call GET /users/me "$access"
expect_status 401

echo "curl, $mode: scenario passed"
