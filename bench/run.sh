#!/usr/bin/env bash
# Customer list latency under concurrent load, on SQLite and PostgreSQL, next to
# the bare SQL of the same page; the duplicate check; the import rate; plus the
# gzip size of the WASM and CSS.
#   bench/run.sh                 100 000 customers
#   N=1000000 bench/run.sh       one million
# Needs a release build (make build) and wrk (installed from Debian if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
TARGET=${CARGO_TARGET_DIR:-$HOME/.cache/crm/target}
BIN=${CRM_BIN:-$TARGET/release/crm}
PG_ADMIN=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
export CRM_SITE_ROOT=${CRM_SITE_ROOT:-$PWD/target/site}
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y wrk >/dev/null || sudo apt-get install -y wrk >/dev/null; }
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=3977

echo "== sizes"
for f in "$CRM_SITE_ROOT"/pkg/*.wasm "$CRM_SITE_ROOT"/pkg/*.css "$CRM_SITE_ROOT"/pkg/*.js; do
  printf '%-28s raw %8d B   gzip %8d B\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done

source bench/lib.sh

run_backend() { # name database_url
  echo "== $1, $N customers, $CONNECTIONS connections, $DURATION each"
  export DATABASE_URL=$2 CRM_BIND=127.0.0.1:$PORT CRM_ADMIN_PASSWORD=bench-admin-pass RUST_LOG=error
  "$BIN" migrate >/dev/null
  "$BIN" create-admin >/dev/null
  "$BIN" seed-demo >/dev/null
  "$BIN" seed-bench --count "$N"
  "$BIN" serve >"$WORK/server.log" 2>&1 &
  SERVER=$!
  wait_healthy
  for user in zhangwei:"销售经理 (department tree)" admin:"administrator (all)"; do
    local name=${user%%:*} label=${user#*:} pass=demo-pass-2026
    [ "$name" = admin ] && pass=bench-admin-pass
    local cookie
    cookie=$(sign_in "$name" "$pass")
    echo "-- as $name, $label"
    page_size "customers page HTML (50 rows)" "http://127.0.0.1:$PORT/customers" "$cookie"
    latency "customers page (SSR HTML)" "http://127.0.0.1:$PORT/customers" "$cookie"
    latency "list_customers server function" "http://127.0.0.1:$PORT/api/list_customers" "$cookie"
    latency "search page (q=天度网络)" "http://127.0.0.1:$PORT/customers?q=%E5%A4%A9%E5%BA%A6%E7%BD%91%E7%BB%9C" "$cookie"
    latency "saved query page (level=A)" "http://127.0.0.1:$PORT/customers?level=A" "$cookie"
    latency "saved query server fn (level=A)" "http://127.0.0.1:$PORT/api/list_customers?level=A" "$cookie"
    "$BIN" bench-sql --username "$name" --concurrency "$CONNECTIONS" --iterations 2000
    "$BIN" bench-sql --username "$name" --concurrency "$CONNECTIONS" --iterations 2000 --search 天度网络
    "$BIN" bench-sql --username "$name" --concurrency "$CONNECTIONS" --iterations 2000 --level A
  done
  "$BIN" bench-dup --username admin --concurrency "$CONNECTIONS" --iterations 2000
  "$BIN" bench-import --username admin --rows "${IMPORT_ROWS:-20000}"
  kill $SERVER; wait $SERVER 2>/dev/null || true
}

run_backend sqlite "sqlite:$WORK/bench.db"
if psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS crm_bench WITH (FORCE)" 2>/dev/null && psql "$PG_ADMIN" -qc "CREATE DATABASE crm_bench"; then
  run_backend postgres "${PG_ADMIN%/*}/crm_bench"
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS crm_bench WITH (FORCE)"
else
  echo "== postgres: SKIPPED (no server at $PG_ADMIN)"
fi
