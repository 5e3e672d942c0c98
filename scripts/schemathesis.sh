#!/usr/bin/env bash
# Runs schemathesis (PyPI, pinned) against the real service: every operation of /openapi.json,
# coverage and fuzzing phases, fixed seed, with an admin key on the demo data. Fails on any
# response whose status the document does not list and on any schema-valid request the service
# refuses (checks status_code_conformance and positive_data_acceptance), plus any 5xx.
# Usage: scripts/schemathesis.sh [MAX_EXAMPLES] [SEED]   (defaults 10 and 1)
# Builds `incontro` (debug, the same build as `cargo test --workspace`), starts it on a free port
# over a fresh data directory, runs `st run` from a private virtualenv (created once under
# target/schemathesis-venv) and stops the server. Generation rules the JSON schema cannot state
# (codice fiscale checksums, ordered date pairs) are in scripts/schemathesis_hooks.py; the
# configuration is scripts/schemathesis.toml.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
venv="$target/schemathesis-venv"
version="4.32.5"
examples="${1:-10}"
seed="${2:-1}"
if [ "$("$venv/bin/st" --version 2>/dev/null | sed 's/.* //')" != "$version" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "schemathesis==$version"
fi
bin="${INCONTRO_BIN:-}"
if [ -z "$bin" ]; then
  (cd "$here" && cargo test --workspace --no-run --quiet)
  bin="$target/debug/incontro"
fi
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
# The demo's anchor day, so that the demo's dates (vacancies open, campaigns running) hold.
export INCONTRO_TODAY="${INCONTRO_TODAY:-2026-12-01}"
admin="$("$bin" --data-dir "$work/data" keys create --role admin --label schemathesis)"
# The log files exist before the server starts: the loop below reads them at once, and under
# load the background process may not have opened them yet (sed would fail, and set -e exit).
: >"$work/serve.out"
: >"$work/serve.err"
"$bin" --data-dir "$work/data" serve --bind 127.0.0.1:0 --workers 2 \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
port=""
for _ in $(seq 1 600); do
  port="$(sed -n 's/^incontro: listening on port \([0-9]*\)$/\1/p' "$work/serve.out")"
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.err" >&2; echo "server did not start" >&2; exit 1; }
# From the scratch directory: schemathesis keeps its cache (.schemathesis/) in the working one.
cd "$work"
PYTHONPATH="$here/scripts" SCHEMATHESIS_HOOKS=schemathesis_hooks \
  "$venv/bin/st" --no-color --config-file "$here/scripts/schemathesis.toml" run \
  "http://127.0.0.1:$port/openapi.json" \
  --url "http://127.0.0.1:$port" \
  -H "Authorization: Bearer $admin" \
  --phases examples,coverage,fuzzing \
  --checks status_code_conformance,positive_data_acceptance,not_a_server_error \
  --seed "$seed" --max-examples "$examples" --workers 2 \
  --suppress-health-check all --generation-database none
