#!/usr/bin/env bash
# Mutation fuzzing of every parser for MINUTES minutes per run (default 10), in release mode:
# COB rows (CSV, JSON lines), records CSV and JSON, ESCO CSV, contacts, codice fiscale and
# partita IVA, the cohort rule JSON, suggestion text (crates/incontro-core/tests/fuzz_parsers.rs),
# the text reader (input::tests) and the API's JSON bodies (incontro-server api::fuzz); and the
# faithful-import properties (generated valid files — companies, job seekers with competences
# and work history, vacancies with requirements, courses with skills, contacts, COB notices, an
# ESCO release — stored field by field as written: crates/incontro-core/tests/faithful_import.rs).
# Rounds of many cases with a fresh seed each, until the time is up; the first failure stops the
# run and prints the seed that reproduces it (INCONTRO_FUZZ_SEED=… INCONTRO_FUZZ_CASES=…).
# Usage: scripts/fuzz.sh [MINUTES] [CASES_PER_ROUND]
# INCONTRO_FUZZ_PROFILE=debug uses the debug test build (`cargo test --workspace` already built
# it: nothing to compile) instead of release (fewer cases a minute).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
minutes="${1:-10}"
cases="${2:-2000}"
cd "$here"
profile="--release"
[ "${INCONTRO_FUZZ_PROFILE:-release}" = "debug" ] && profile=""
cargo test $profile --workspace --test fuzz_parsers --no-run --quiet
cargo test $profile --workspace --test faithful_import --no-run --quiet
cargo test $profile --workspace --lib --no-run --quiet
deadline=$(( $(date +%s) + minutes * 60 ))
rounds=0
total=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  seed=$(( (RANDOM << 16) ^ RANDOM ^ $(date +%s) ))
  export INCONTRO_FUZZ_SEED="$seed" INCONTRO_FUZZ_CASES="$cases" PROPTEST_CASES="$cases"
  if ! cargo test $profile --quiet --workspace --test fuzz_parsers >/tmp/incontro-fuzz.log 2>&1 \
    || ! cargo test $profile --quiet --workspace --test faithful_import >>/tmp/incontro-fuzz.log 2>&1 \
    || ! cargo test $profile --quiet --workspace --lib input:: >>/tmp/incontro-fuzz.log 2>&1 \
    || ! cargo test $profile --quiet --workspace --lib api::fuzz >>/tmp/incontro-fuzz.log 2>&1; then
    cat /tmp/incontro-fuzz.log
    echo "FAILED in round $((rounds + 1)): reproduce with INCONTRO_FUZZ_SEED=$seed INCONTRO_FUZZ_CASES=$cases" >&2
    exit 1
  fi
  rounds=$((rounds + 1))
  total=$((total + cases))
  echo "round $rounds (seed $seed): $cases cases per target, no failure"
done
echo "fuzz: $rounds rounds, $total cases per target in $minutes min, 0 failures"
