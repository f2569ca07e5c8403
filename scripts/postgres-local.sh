#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: a fresh cluster in a temporary folder, listening on 127.0.0.1 only.
#
#   scripts/postgres-local.sh run -- <command...>   start it, run the command with TEST_DATABASE_URL set, stop it
#   scripts/postgres-local.sh start DIR             start one in DIR and print its URL (stop it with `stop DIR`)
#   scripts/postgres-local.sh stop DIR
#   scripts/postgres-local.sh restart|halt|resume DIR   restart it / stop it keeping its data / start it again
#                                                      (the fault tests: a database that restarts or goes away)
#
# PG_PORT picks the port (default 24032: below Linux's ephemeral range, so no outgoing connection holds it); PG_BIN the folder of initdb and pg_ctl (default: Debian's newest).
# When TEST_DATABASE_URL is already set, `run` uses that server and starts nothing.
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user that Debian's package
# creates. The test database gets an ICU en-US collation on purpose: our columns must sort by bytes anyway.
set -euo pipefail

port="${PG_PORT:-24032}"
bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
[ -x "$bin/initdb" ] || { echo "postgres-local: no initdb in '$bin' (apt-get install postgresql, or set PG_BIN)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url_of() {
  echo "postgres://postgres@127.0.0.1:$port/stores_test"
}

start() {
  local dir="$1"
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  resume "$dir"
  as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c \
    "create database stores_test template template0 encoding 'UTF8' locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'"
  url_of
}

# Sockets stay in the throwaway folder; only TCP on loopback. max_connections leaves room for the test
# workers' pools (10 per app) and for two API instances.
resume() {
  local dir="$1"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c max_connections=300" start >/dev/null
}

stop() {
  local dir="$1"
  [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  restart) as_owner "$bin/pg_ctl" -D "$2/data" -m fast -w restart >/dev/null ;;
  halt) as_owner "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null ;;
  resume) resume "$2" ;;
  run)
    shift
    [ "${1:-}" = "--" ] && shift
    if [ -n "${TEST_DATABASE_URL:-}" ]; then exec "$@"; fi
    dir="$(mktemp -d /tmp/stores-api-pg.XXXXXX)"
    trap 'stop "$dir"' EXIT
    TEST_DATABASE_URL="$(start "$dir")"
    export TEST_DATABASE_URL
    "$@"
    ;;
  *)
    echo "usage: $0 run -- <command...> | start DIR | stop DIR" >&2
    exit 2
    ;;
esac
