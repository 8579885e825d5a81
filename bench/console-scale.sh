#!/usr/bin/env bash
# The console's queries on a big ledger: fills CALLS calls (default 2,000,000) through the real
# ledger writer into a fresh SQLite ledger (or the PostgreSQL one at $LEDGER_URL), starts the real
# jar on it and times every request the console's pages make, plus a 30-day FOCUS export
# (dev.tollgate.bench.ConsoleScale, test classpath). Results quoted in docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${1:-2000000}
TG_PORT=${TG_PORT:-19280}
TG_ADMIN_PORT=${TG_ADMIN_PORT:-19281}
WORK=$(mktemp -d /tmp/tollgate-console-scale.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT

mvn -B -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
echo "[scale] machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
java -Xmx4g -cp "$CP" dev.tollgate.bench.ConsoleScale fill "$WORK/data" "$CALLS" ${LEDGER_URL:-}
[ -f "$WORK/data/ledger.db" ] && echo "[scale] ledger.db: $(du -h "$WORK/data/ledger.db" | cut -f1)"
CONFIG="$WORK/tollgate.yaml"
if [ -n "${LEDGER_URL:-}" ]; then printf 'ledger: {url: "%s"}\n' "$LEDGER_URL" >"$CONFIG"; else printf '{}\n' >"$CONFIG"; fi
TOLLGATE_PORT=$TG_PORT TOLLGATE_ADMIN_PORT=$TG_ADMIN_PORT TOLLGATE_UPSTREAM_URL="http://127.0.0.1:9/v1" \
  TOLLGATE_DATA_DIR="$WORK/data" java -Xms1g -Xmx1g -jar target/tollgate.jar serve --config "$CONFIG" \
  >"$WORK/tollgate.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do
  curl -fs -o /dev/null "http://127.0.0.1:$TG_ADMIN_PORT/readyz" 2>/dev/null && break
  sleep 0.2
done
java -Xmx512m -cp "$CP" dev.tollgate.bench.ConsoleScale query "$TG_ADMIN_PORT"
