#!/usr/bin/env bash
# Load benchmark of the HTTP service: "vacancies for a person" over 20,000 indexed vacancies.
# Usage: scripts/bench-http.sh [WORKLOAD_DIR]   (default /tmp/wl-http; generated if absent)
# Env: BENCH_DURATION (15s), BENCH_PEOPLE (2000), BENCH_CLIENTS ("1 8 32 128"), INCONTRO_BIN
# (a binary to measure instead of building this tree's), PERF_OUT (record the server with
# `perf record -g` during the 32-client level into this file).
# Installs wrk (Debian package) if missing, builds release, imports the full ESCO release and a
# 20,000-vacancy / 2,000-person dataset drawn from esco_workload.py, starts `incontro serve`,
# runs wrk at 1, 8, 32 and 128 connections (15 s each, random person per request) and prints
# p50, p99, requests/s and errors. Targets: p99 <= 20 ms at 32 clients, 0 errors at 128.
# On PostgreSQL (INCONTRO_DATABASE=postgres://…/EMPTY_DB), BENCH_REPLICAS=2 starts a second
# `incontro serve` on the same database (its own data directory) and puts nginx (Debian package,
# installed if missing) in front of both, round robin with keepalive; wrk then goes to nginx.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="${INCONTRO_SHARED:-$here/../shared}"
[ -d "$shared" ] || shared=/work/shared
wl="${1:-/tmp/wl-http}"
duration="${BENCH_DURATION:-15s}"
people="${BENCH_PEOPLE:-2000}"

if ! command -v wrk >/dev/null; then
  echo "installing wrk (apt-get)" >&2
  (apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; })
fi
if [ ! -f "$wl/vacancies.csv" ]; then
  python3 "$shared/bench/esco_workload.py" --esco "$shared/data/esco-v1.1.1" \
    --workers 60000 --vacancies 20000 --seed 7 --out "$wl"
fi
if [ -n "${INCONTRO_BIN:-}" ]; then
  bin="$INCONTRO_BIN"   # another build to compare (e.g. a copy of main's), used as it is
else
  (cd "$here" && cargo build --release -p incontro-cli --quiet)
  bin="${CARGO_TARGET_DIR:-$here/target}/release/incontro"
fi
work="$(mktemp -d)"
server_pid=""
second_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  [ -n "$second_pid" ] && kill "$second_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

python3 "$here/scripts/workload_to_records.py" --workload "$wl" --demo "$here/data/demo" \
  --people "$people" --out "$work/records"
data="$work/data"
"$bin" --quiet --data-dir "$data" import esco "$shared/data/esco-v1.1.1/"*.zip >/dev/null
"$bin" --quiet --data-dir "$data" import records "$work/records" >/dev/null
key="$("$bin" --data-dir "$data" keys create --role desk --office LU --label bench 2>/dev/null)"

"$bin" --data-dir "$data" serve --bind 127.0.0.1:0 --no-demo --max-page-size 100 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 600); do
  grep -q "listening on port" "$work/serve.out" 2>/dev/null && break
  sleep 0.2
done
port="$(sed -n 's/^incontro: listening on port //p' "$work/serve.out")"
[ -n "$port" ] || { cat "$work/serve.err" >&2; exit 1; }
url="http://127.0.0.1:$port"

if [ "${BENCH_REPLICAS:-1}" = 2 ]; then
  case "${INCONTRO_DATABASE:-}" in
    postgres://*) ;;
    *) echo "BENCH_REPLICAS=2 needs INCONTRO_DATABASE=postgres://…" >&2; exit 2 ;;
  esac
  command -v nginx >/dev/null || (apt-get install -y nginx-light >/dev/null 2>&1 || apt-get install -y nginx >/dev/null)
  "$bin" --data-dir "$work/data2" serve --bind 127.0.0.1:0 --no-demo --max-page-size 100 >"$work/serve2.out" 2>"$work/serve2.err" &
  second_pid=$!
  for _ in $(seq 1 600); do
    grep -q "listening on port" "$work/serve2.out" 2>/dev/null && break
    sleep 0.2
  done
  port2="$(sed -n 's/^incontro: listening on port //p' "$work/serve2.out")"
  [ -n "$port2" ] || { cat "$work/serve2.err" >&2; exit 1; }
  front=$(( 20000 + RANDOM % 20000 ))
  cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  upstream incontro { server 127.0.0.1:$port; server 127.0.0.1:$port2; keepalive 64; }
  server { listen 127.0.0.1:$front; location / { proxy_pass http://incontro; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
NGINX
  nginx -c "$work/nginx.conf" -p "$work"
  sleep 0.5
  url="http://127.0.0.1:$front"
  echo "two replicas (ports $port, $port2) behind nginx at $url"
fi

# Check the route answers correctly before timing it.
first="$(head -1 "$work/records/people.txt")"
body="$(curl -sf -H "Authorization: Bearer $key" "$url/v1/job-seekers/$first/vacancies?k=10")"
python3 -c "import json,sys; d=json.loads(sys.argv[1]); assert len(d['items'])==10, d; print('check: 10 ranked vacancies for', sys.argv[2])" "$body" "$first"

ids_lua="$(sed 's/.*/"&"/' "$work/records/people.txt" | paste -sd, -)"
cat >"$work/person.lua" <<LUA
local ids = {$ids_lua}
local counter = 0
wrk.headers["Authorization"] = "Bearer $key"
request = function()
  counter = counter + 1
  local id = ids[(counter * 7919) % #ids + 1]
  return wrk.format("GET", "/v1/job-seekers/" .. id .. "/vacancies?k=10")
end
LUA

printf "%-8s %10s %10s %10s %8s\n" clients p50_ms p99_ms req_s errors
for clients in ${BENCH_CLIENTS:-1 8 32 128}; do
  threads=$(( clients < 2 ? 1 : 2 ))
  perf_pid=""
  if [ -n "${PERF_OUT:-}" ] && [ "$clients" = 32 ]; then
    perf record -F 499 -g -p "$server_pid" -o "$PERF_OUT" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  wrk -t"$threads" -c"$clients" -d"$duration" --timeout 10s --latency -s "$work/person.lua" "$url" >"$work/wrk.$clients" 2>&1 || true
  python3 - "$work/wrk.$clients" "$clients" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s+%s\s+([\d.]+)(us|ms|s)\b" % re.escape(label), text, re.M)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
print(f"{sys.argv[2]:<8} {ms('50%'):10.2f} {ms('99%'):10.2f} {float(rps.group(1)) if rps else 0:10.1f} {errors:8d}")
PY
  if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
