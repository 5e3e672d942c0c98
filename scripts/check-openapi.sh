#!/usr/bin/env bash
# Validates the service's OpenAPI document with openapi-spec-validator (PyPI), the check client
# generators rely on. Usage: scripts/check-openapi.sh
# Builds `incontro` (debug), starts it on a free port over a fresh data directory (demo data),
# fetches /openapi.json and validates it in a private virtualenv (created once under
# target/openapi-venv). Exit status 0 when the document is valid.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
venv="$target/openapi-venv"
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "openapi-spec-validator>=0.7"
fi
# The same build as `cargo test --workspace` (same features: nothing to rebuild after the tests).
(cd "$here" && cargo test --workspace --no-run --quiet)
bin="$target/debug/incontro"
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
# The log files exist before the server starts: the loop below reads them at once, and under
# load the background process may not have opened them yet (sed would fail, and set -e exit).
: >"$work/serve.out"
: >"$work/serve.err"
"$bin" --data-dir "$work/data" serve --bind 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
port=""
for _ in $(seq 1 600); do
  port="$(sed -n 's/^incontro: listening on port \([0-9]*\)$/\1/p' "$work/serve.out")"
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.err" >&2; echo "server did not start" >&2; exit 1; }
python3 - "$port" "$work/openapi.json" <<'PY'
import sys, urllib.request
port, out = sys.argv[1], sys.argv[2]
with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json") as reply:
    open(out, "wb").write(reply.read())
PY
"$venv/bin/openapi-spec-validator" "$work/openapi.json"
