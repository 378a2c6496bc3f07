#!/usr/bin/env bash
# The receivables report at 1 000 000 payment rows, on SQLite and PostgreSQL: contracts
# of four instalments over 20 000 customers, then the report's first page with totals,
# the overdue-only view and the dashboard's overdue list as an administrator, a sales
# manager and a salesperson, and the ledger-against-totals reconciliation.
# Needs a release build (make build). PAYMENTS=… and CUSTOMERS=… change the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-$HOME/.cache/crm/target}
BIN=${CRM_BIN:-$TARGET/release/crm}
PG_ADMIN=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS crm_bench_receivables" >/dev/null 2>&1 || true' EXIT
export CRM_ADMIN_PASSWORD=bench-admin-pass RUST_LOG=error
run() { # name database_url
  echo "== $1"
  export DATABASE_URL=$2
  "$BIN" migrate >/dev/null
  "$BIN" create-admin >/dev/null
  "$BIN" seed-demo >/dev/null
  "$BIN" seed-bench --count "${CUSTOMERS:-20000}" >/dev/null
  "$BIN" bench-receivables --payments "${PAYMENTS:-1000000}" --iterations "${ITERATIONS:-20}"
}
run sqlite "sqlite:$WORK/bench.db"
if psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS crm_bench_receivables" -c "CREATE DATABASE crm_bench_receivables" >/dev/null 2>&1; then
  run postgres "${PG_ADMIN%/*}/crm_bench_receivables"
else
  echo "PostgreSQL not reachable at $PG_ADMIN: skipped"
fi
