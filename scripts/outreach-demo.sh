#!/usr/bin/env sh
# Cob23 on the demo data (Milan): cohort → assignment → calls → outcomes → a later COB file →
# funnel (table, CSV, SVG) → retention purge. Usage: scripts/outreach-demo.sh [DATA_DIR]
set -eu
DATA="${1:-./incontro-outreach-demo}"
BIN="${INCONTRO_BIN:-cargo run --release -q -p incontro-cli --}"
DEMO="$(dirname "$0")/../data/demo"
run() { $BIN --data-dir "$DATA" --quiet "$@"; }

run import demo
run outreach cohort --campaign demo --name "Cob23 demo" --rule "$DEMO/outreach_rule.json" --retention-until 2025-12-31
run outreach assign --campaign demo --operator giulia:5 --operator marco:5 --operator sara:3
run outreach calls --campaign demo --operator giulia --date 2025-01-20
# Day 1: every operator calls their list.
for call in "giulia 1 answered" "giulia 4 no_answer" "giulia 6 answered" "giulia 9 answered" "giulia 11 busy" \
            "marco 2 answered" "marco 5 answered" "marco 7 refused" "marco 10 answered" "marco 12 answered" \
            "sara 3 answered" "sara 8 wrong_number" "sara 13 answered"; do
  set -- $call
  run outreach outcome --campaign demo --operator "$1" --entry "$2" --result "$3" --date 2025-01-20
done
# Day 3: retries of the unanswered calls are due again.
run outreach calls --campaign demo --operator giulia --date 2025-01-22
run outreach outcome --campaign demo --operator giulia --entry 4 --result answered --date 2025-01-22
for entry in 1 2 5 6 10 13; do
  run outreach outcome --campaign demo --entry "$entry" --milestone taken_in_charge --date 2025-01-28
done
run outreach outcome --campaign demo --entry 6 --milestone enrolled --date 2025-02-10
run outreach outcome --campaign demo --entry 1 --milestone placed --date 2025-02-03
# A later COB file: three hirings of called people (fixed-term, tirocinio, open-ended) confirm
# their placements automatically.
run import cob "$DEMO/outreach_cob_2025.csv"
run outreach funnel --campaign demo --csv "$DATA/funnel.csv" --svg "$DATA/funnel-operator.svg" --by operator
run outreach purge --today 2026-01-01
run outreach funnel --campaign demo --by campaign
