#!/usr/bin/env bash
# Batch matcher vs the scipy baseline, side by side on the ESCO-shaped workload.
# Usage: scripts/bench-batch.sh [WORKLOAD_DIR]   (default /tmp/wl; generated if absent)
# Needs python3 with numpy, scipy, pandas for the baseline (pip install numpy scipy pandas).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="${INCONTRO_SHARED:-$here/../shared}"
[ -d "$shared" ] || shared=/work/shared
wl="${1:-/tmp/wl}"
top=10
if [ ! -f "$wl/workers.csv" ]; then
  python3 "$shared/bench/esco_workload.py" --esco "$shared/data/esco-v1.1.1" \
    --workers 60000 --vacancies 20000 --seed 7 --out "$wl"
fi
(cd "$here" && cargo build --release -p incontro-cli --quiet)
bin="${CARGO_TARGET_DIR:-$here/target}/release/incontro"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

measure() { # name, command... → prints "name seconds rss_kb"
  local name="$1"; shift
  # Earlier writes (the other command's output, a previous run's) are flushed first: the batch
  # commits its output with fsync, which on ext4 also waits for other files' dirty pages.
  sync
  /usr/bin/time -v "$@" 2>"$out/$name.time" >/dev/null
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$out/$name.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep "Maximum resident set size" "$out/$name.time" | awk '{print $NF}')
  echo "$name $wall $rss"
}

ours=$(measure ours "$bin" --quiet match --workers "$wl/workers.csv" --vacancies "$wl/vacancies.csv" \
  --top "$top" --exact --out "$out/ours.csv")
base=$(measure baseline python3 "$shared/bench/baseline_scipy.py" --workers "$wl/workers.csv" \
  --vacancies "$wl/vacancies.csv" --top "$top" --out "$out/base.csv")

python3 - "$out/ours.csv" "$out/base.csv" <<'PY'
import csv, sys
def load(path):
    rows = {}
    for r in csv.DictReader(open(path)):
        rows[(r["worker_id"], int(r["rank"]))] = (r["vacancy_id"], float(r["score"]))
    return rows
ours, base = load(sys.argv[1]), load(sys.argv[2])
if set(ours) != set(base):
    sys.exit(f"FAIL: different (worker, rank) sets: ours {len(ours)} rows, baseline {len(base)}")
bad = [k for k in base if abs(ours[k][1] - base[k][1]) > 1e-5]
if bad:
    sys.exit(f"FAIL: {len(bad)} ranks with different scores, e.g. {bad[0]}: {ours[bad[0]]} vs {base[bad[0]]}")
# same score at every rank: a vacancy id can then differ only among equal scores
moved = sum(1 for k, (v, s) in ours.items() if v != base[k][0])
print(f"outputs agree: {len(base)} rows, same score at every rank (1e-5); {moved} ids differ among equal scores")
PY

read -r _ t_ours rss_ours <<<"$ours"
read -r _ t_base rss_base <<<"$base"
python3 -c "
t_o, t_b = float('$t_ours'), float('$t_base')
print(f'ours     {t_o:7.2f} s  peak RSS {int($rss_ours)/1024:7.0f} MB')
print(f'baseline {t_b:7.2f} s  peak RSS {int($rss_base)/1024:7.0f} MB')
print(f'ratio    {t_b/t_o:7.1f}x')
"
