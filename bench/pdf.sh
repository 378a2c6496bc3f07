#!/usr/bin/env bash
# Quote PDF generation time (typst, Noto Sans CJK): the first document of a process
# (fonts read) and the median of the next ones, for 12- and 200-line quotes.
# Needs a release build (make build) and fonts-noto-cjk.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-$HOME/.cache/crm/target}
BIN=${CRM_BIN:-$TARGET/release/crm}
for run in 1 2 3; do
  echo "-- run $run"
  "$BIN" bench-pdf --iterations "${ITERATIONS:-50}"
done
