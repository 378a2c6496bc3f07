# Shared by the benchmark scripts: load with wrk, page sizes, signing in.
# Expects CONNECTIONS, DURATION and PORT to be set by the caller.

latency() { # name url cookie
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: crm_session=$3" "$2")
  local p50 p99 rps
  p50=$(awk '/^ +50%/{print $2}' <<<"$out")
  p99=$(awk '/^ +99%/{print $2}' <<<"$out")
  rps=$(awk '/^Requests\/sec/{print $2}' <<<"$out")
  local non2xx
  non2xx=$(awk '/Non-2xx/{print $NF}' <<<"$out")
  printf '%-36s median %8s  p99 %8s  %8s req/s %s\n' "$1" "$p50" "$p99" "$rps" "${non2xx:+ ($non2xx non-2xx!)}"
}

page_size() { # name url cookie
  local raw gz
  raw=$(curl -s -H "Cookie: crm_session=$3" "$2" | wc -c)
  gz=$(curl -s -H "Accept-Encoding: gzip" -H "Cookie: crm_session=$3" "$2" | wc -c)
  printf '%-36s raw %8d B   gzip %8d B\n' "$1" "$raw" "$gz"
}

wait_healthy() {
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.2; done
}

sign_in() { # username password -> prints the session cookie
  local cookie
  cookie=$(curl -s -o /dev/null -D - -d "username=$1&password=$2" "http://127.0.0.1:$PORT/auth/login" | sed -n 's/^set-cookie: crm_session=\([0-9a-f]*\).*/\1/p')
  [ -n "$cookie" ] || { echo "sign-in as $1 failed" >&2; exit 1; }
  echo "$cookie"
}
