#!/usr/bin/env bash
# What Tollgate adds to a WebSocket frame's trip: an echo upstream (dev.tollgate.bench.SocketBench
# echo, test classpath), the real jar in front of it, and one client timing round trips straight
# to the upstream and through Tollgate alternately (see SocketBench). Prints one line per frame
# size; results quoted in docs/WEBSOCKETS.md come from it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-20000}
ECHO_PORT=${ECHO_PORT:-19199}
TG_PORT=${TG_PORT:-19180}
TG_ADMIN_PORT=${TG_ADMIN_PORT:-19181}
WORK=$(mktemp -d /tmp/tollgate-socket-bench.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT

mvn -B -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
java -Xmx256m -cp "$CP" dev.tollgate.bench.SocketBench echo "$ECHO_PORT" >"$WORK/echo.log" 2>&1 &
PIDS+=($!)
TOLLGATE_PORT=$TG_PORT TOLLGATE_ADMIN_PORT=$TG_ADMIN_PORT TOLLGATE_UPSTREAM_URL="http://127.0.0.1:$ECHO_PORT/v1" \
  TOLLGATE_DATA_DIR="$WORK/data" java -Xms256m -Xmx256m -jar target/tollgate.jar serve >"$WORK/tollgate.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 150); do
  curl -fs -o /dev/null "http://127.0.0.1:$TG_ADMIN_PORT/readyz" 2>/dev/null && break
  sleep 0.2
done
java -Xmx512m -cp "$CP" dev.tollgate.bench.SocketBench \
  "ws://127.0.0.1:$ECHO_PORT/v1/realtime?model=gpt-realtime" \
  "ws://127.0.0.1:$TG_PORT/v1/realtime?model=gpt-realtime" "$ROUNDS"
