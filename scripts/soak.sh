#!/usr/bin/env bash
# Soak benchmark: the HTTP mix of desk, validator and operator requests (reads and writes) at 32
# clients for MINUTES minutes (default 30) against the release `incontro serve` on the demo data
# plus a Cob23 campaign (scripts/soak.py describes the mix). Prints per minute req/s, writes/s,
# p50/p99 latency, errors, the server's RSS and the load average; fails on any error or when the
# RSS at the end is more than 10 % above the RSS after the 2-minute warm-up.
# Usage: scripts/soak.sh [MINUTES] [CLIENTS]
# Builds `incontro` (release), starts it on a free port over a fresh data directory and stops it.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
minutes="${1:-30}"
clients="${2:-32}"
bin="${INCONTRO_BIN:-}"
if [ -z "$bin" ]; then
  (cd "$here" && cargo build --release --quiet -p incontro-cli)
  bin="$target/release/incontro"
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
export INCONTRO_TODAY="${INCONTRO_TODAY:-2026-12-01}"
run() { "$bin" --data-dir "$work/data" --quiet "$@"; }
run import demo >/dev/null
run outreach cohort --campaign soak --name "Soak" --rule "$here/data/demo/outreach_rule.json" \
  --retention-until 2027-12-31 >/dev/null
run outreach assign --campaign soak --operator giulia:50 --operator marco:50 --operator sara:50 >/dev/null
key() { run keys create "$@" 2>/dev/null | tail -n 1; }
desk="$(key --role desk --office LU --label "soak desk")"
validator="$(key --role validator --office LU --label "soak validator")"
giulia="$(key --role operator --office MI --label giulia)"
marco="$(key --role operator --office MI --label marco)"
sara="$(key --role operator --office MI --label sara)"
people="$(tail -n +2 "$here/data/demo/job_seekers.csv" | cut -d, -f1 | sed 's/.*/"&"/' | paste -sd, -)"
cat >"$work/keys.json" <<EOF
{"desk": "$desk", "validator": "$validator", "campaign": "soak",
 "operators": {"giulia": "$giulia", "marco": "$marco", "sara": "$sara"},
 "people": [$people]}
EOF
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
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.err" >&2; echo "server did not start" >&2; exit 1; }
echo "soak: data directory $(du -sh "$work/data" | cut -f1) at start ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
status=0
python3 "$here/scripts/soak.py" "$port" "$server_pid" "$minutes" "$work/keys.json" "$clients" || status=$?
echo "soak: data directory $(du -sh "$work/data" | cut -f1) at the end"
exit "$status"
