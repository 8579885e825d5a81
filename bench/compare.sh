#!/usr/bin/env bash
# Saturation throughput of two Tollgate jars, measured alternately on one machine in one run, so a
# change can be judged against what it replaced ("within 5 %" means against the same machine's
# noise, not a number from another day). Needs wrk (apt-get install -y wrk).
#   bench/compare.sh BEFORE.jar AFTER.jar [rounds] [seconds] [connections]
# Each round runs BEFORE then AFTER (then the other order next round) against the same fake
# upstream, answering at once, with Tollgate's default config; prints requests/s and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=$(realpath "${1:?usage: bench/compare.sh BEFORE.jar AFTER.jar [rounds] [seconds] [connections]}")
AFTER=$(realpath "${2:?usage: bench/compare.sh BEFORE.jar AFTER.jar [rounds] [seconds] [connections]}")
ROUNDS=${3:-3}
SECONDS_PER_RUN=${4:-10}
CONNECTIONS=${5:-64}
MOCK_PORT=${MOCK_PORT:-19399}
TG_PORT=${TG_PORT:-19380}
TG_ADMIN_PORT=${TG_ADMIN_PORT:-19381}
command -v wrk >/dev/null || { echo "compare: wrk not found (apt-get install -y wrk)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/tollgate-compare.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_for() {
  for _ in $(seq 1 150); do curl -fs -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "compare: $1 did not come up; logs in $WORK" >&2; exit 1
}

cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello."}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
LUA

java -Xmx512m -jar "$AFTER" mock-upstream --port "$MOCK_PORT" >"$WORK/mock.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$MOCK_PORT/v1/models"

run() { # jar label -> requests/s
  local jar=$1 label=$2
  rm -rf "$WORK/data-$label"
  # From the work folder: each jar on its own defaults, not on this checkout's config/.
  (cd "$WORK" && TOLLGATE_PORT=$TG_PORT TOLLGATE_ADMIN_PORT=$TG_ADMIN_PORT \
    TOLLGATE_UPSTREAM_URL="http://127.0.0.1:$MOCK_PORT/v1" TOLLGATE_DATA_DIR="$WORK/data-$label" \
    exec java -Xms512m -Xmx512m -jar "$jar" serve >"$WORK/$label.log" 2>&1) &
  local pid=$!
  wait_for "http://127.0.0.1:$TG_ADMIN_PORT/readyz"
  wrk -t2 -c"$CONNECTIONS" -d3s -s "$WORK/post.lua" "http://127.0.0.1:$TG_PORT/v1/chat/completions" >/dev/null # warm-up
  local rps
  rps=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$WORK/post.lua" \
    "http://127.0.0.1:$TG_PORT/v1/chat/completions" | awk '/Requests\/sec/ {print $2}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$rps"
}

printf '%-6s %12s %12s %8s\n' round before after ratio
sum_b=0; sum_a=0
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then b=$(run "$BEFORE" before); a=$(run "$AFTER" after)
  else a=$(run "$AFTER" after); b=$(run "$BEFORE" before); fi
  printf '%-6s %12s %12s %8.3f\n' "$r" "$b" "$a" "$(awk -v a="$a" -v b="$b" 'BEGIN {print a / b}')"
  sum_b=$(awk -v s="$sum_b" -v x="$b" 'BEGIN {print s + x}')
  sum_a=$(awk -v s="$sum_a" -v x="$a" 'BEGIN {print s + x}')
done
awk -v b="$sum_b" -v a="$sum_a" -v n="$ROUNDS" \
  'BEGIN {printf "%-6s %12.0f %12.0f %8.3f\n", "mean", b / n, a / n, a / b}'
