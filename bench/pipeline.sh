#!/usr/bin/env bash
# The sales pipeline (issue 4) at scale, on SQLite and PostgreSQL: the board page and the
# dashboard under concurrent load, next to the board, a stage move and the dashboard run
# through their services alone; with 1 000 000 opportunities, of which about 500 open
# ones are on the default board as the sales manager sees it.
#   bench/pipeline.sh                       100 000 customers, 1 000 000 opportunities
#   N=200000 CUSTOMERS=20000 bench/pipeline.sh
# Needs a release build (make build) and wrk (installed from Debian if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
CUSTOMERS=${CUSTOMERS:-100000}
BOARD_OPEN=${BOARD_OPEN:-500}
ITERATIONS=${ITERATIONS:-1000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
TARGET=${CARGO_TARGET_DIR:-$HOME/.cache/crm/target}
BIN=${CRM_BIN:-$TARGET/release/crm}
PG_ADMIN=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PG_DB=crm_bench_pipeline
export CRM_SITE_ROOT=${CRM_SITE_ROOT:-$PWD/target/site}
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y wrk >/dev/null || sudo apt-get install -y wrk >/dev/null; }
WORK=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
PORT=3978

source bench/lib.sh

run_backend() { # name database_url
  echo "== $1, $CUSTOMERS customers, $N opportunities, $CONNECTIONS connections, $DURATION each"
  export DATABASE_URL=$2 CRM_BIND=127.0.0.1:$PORT CRM_ADMIN_PASSWORD=bench-admin-pass RUST_LOG=error
  "$BIN" migrate >/dev/null
  "$BIN" create-admin >/dev/null
  "$BIN" seed-demo >/dev/null
  "$BIN" seed-bench --count "$CUSTOMERS"
  "$BIN" seed-bench-pipeline --count "$N" --board-user zhangwei --board-open "$BOARD_OPEN"
  "$BIN" serve >"$WORK/server.log" 2>&1 &
  SERVER=$!
  wait_healthy
  for user in zhangwei:"销售经理 (department tree)" admin:"administrator (all)"; do
    local name=${user%%:*} label=${user#*:} pass=demo-pass-2026
    [ "$name" = admin ] && pass=bench-admin-pass
    local cookie
    cookie=$(sign_in "$name" "$pass")
    echo "-- as $name, $label"
    page_size "board page HTML" "http://127.0.0.1:$PORT/opportunities" "$cookie"
    latency "board page (SSR HTML)" "http://127.0.0.1:$PORT/opportunities" "$cookie"
    latency "pipeline_board server function" "http://127.0.0.1:$PORT/api/pipeline_board" "$cookie"
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: crm_session=$cookie" "http://127.0.0.1:$PORT/dashboard")
    if [ "$code" = 200 ]; then
      page_size "dashboard page HTML" "http://127.0.0.1:$PORT/dashboard" "$cookie"
      latency "dashboard page (SSR HTML)" "http://127.0.0.1:$PORT/dashboard" "$cookie"
    else
      echo "dashboard page: not served (HTTP $code)"
    fi
    "$BIN" bench-pipeline --username "$name" --concurrency "$CONNECTIONS" --iterations "$ITERATIONS"
  done
  kill $SERVER; wait $SERVER 2>/dev/null || true
  SERVER=
}

run_backend sqlite "sqlite:$WORK/bench.db"
if psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" 2>/dev/null && psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB"; then
  run_backend postgres "${PG_ADMIN%/*}/$PG_DB"
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)"
else
  echo "== postgres: SKIPPED (no server at $PG_ADMIN)"
fi
