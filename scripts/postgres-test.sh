#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster from Debian's packages for the test suites (no
# container): `eval "$(scripts/postgres-test.sh start)"` exports INCONTRO_TEST_POSTGRES (a URL
# to the `postgres` database, where each test creates a database of its own);
# `scripts/postgres-test.sh stop` stops it. Installs the packages when they are missing and
# apt-get can (CI runs as root). The cluster: port 54329 on 127.0.0.1, trust authentication,
# C collation, fsync on (the durability test kills it).
set -euo pipefail
DIR="${INCONTRO_PG_DIR:-/tmp/incontro-pg}"
PORT="${INCONTRO_PG_PORT:-54329}"
bin() {
  # The newest installed server (a client-only install has psql but no initdb there).
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$found" ] && dirname "$found"
  return 0
}
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-start}" in
start)
  if [ -z "$(bin)" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing PostgreSQL from Debian's packages" >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
    else
      echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
      exit 1
    fi
  fi
  BIN=$(bin)
  if ! as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    as_owner "$BIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
    as_owner "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=128MB" start >&2
  fi
  echo "export INCONTRO_TEST_POSTGRES=postgres://postgres@127.0.0.1:$PORT/postgres"
  echo "export INCONTRO_PG_BIN=$BIN"
  echo "export INCONTRO_PG_DIR=$DIR"
  ;;
stop)
  BIN=$(bin)
  as_owner "$BIN/pg_ctl" -D "$DIR" -m fast stop >&2 || true
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
