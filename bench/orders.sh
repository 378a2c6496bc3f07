#!/usr/bin/env bash
# Order confirmation under 20 concurrent users, on SQLite and PostgreSQL: each user
# creates and confirms orders of three stocked lines (credit check, reservation, audit),
# first spread over many products, then all wanting one hot product.
# Needs a release build (make build).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-$HOME/.cache/crm/target}
BIN=${CRM_BIN:-$TARGET/release/crm}
PG_ADMIN=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS crm_bench_orders" >/dev/null 2>&1 || true' EXIT
export CRM_ADMIN_PASSWORD=bench-admin-pass RUST_LOG=error
run() { # name database_url
  echo "== $1"
  export DATABASE_URL=$2
  "$BIN" migrate >/dev/null
  "$BIN" create-admin >/dev/null
  "$BIN" seed-demo >/dev/null
  "$BIN" bench-orders --users "${USERS:-20}" --per-user "${PER_USER:-25}"
}
run sqlite "sqlite:$WORK/bench.db"
if psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS crm_bench_orders" -c "CREATE DATABASE crm_bench_orders" >/dev/null 2>&1; then
  run postgres "${PG_ADMIN%/*}/crm_bench_orders"
else
  echo "PostgreSQL not reachable at $PG_ADMIN: skipped"
fi
