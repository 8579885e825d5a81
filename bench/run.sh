#!/usr/bin/env bash
# Tollgate's benchmark, runnable on a fresh machine after `apt-get install -y nginx wrk`.
# Builds the jar; starts on loopback the fake upstream (tollgate mock-upstream), nginx as a plain
# reverse proxy in front of it (the floor) and Tollgate in front of it; then the benchmark client
# (dev.tollgate.bench.BenchMain, on the test classpath: the production jar holds no load generator)
# measures all three in the same run and writes docs/PERFORMANCE.md and bench/results/latest.json.
# Options are passed to the client (e.g. --wrk-seconds 5 --open-streams 2000 for a quick run);
# TOLLGATE_JAVA_OPTS adds JVM options to every Tollgate (e.g. another collector, GC logging).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in java mvn nginx wrk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: '$tool' not found (apt-get install -y nginx wrk)" >&2; exit 1; }
done
# Tollgate holds two descriptors per open stream (client + upstream): raise the soft limit as far
# as the hard limit allows, and open no more streams than fit (10,000 where the machine allows).
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
FD_LIMIT=$(ulimit -n)
OPEN_STREAMS=10000
if [ "$FD_LIMIT" != unlimited ] && [ $((FD_LIMIT / 2 - 500)) -lt $OPEN_STREAMS ]; then
  OPEN_STREAMS=$((FD_LIMIT / 2 - 500))
  echo "[bench] descriptor limit $FD_LIMIT: measuring $OPEN_STREAMS open streams instead of 10,000" >&2
fi

MOCK_PORT=${MOCK_PORT:-19099}
NGINX_PORT=${NGINX_PORT:-19098}
TG_PORT=${TG_PORT:-19080}
TG_ADMIN_PORT=${TG_ADMIN_PORT:-19081}
TGB_PORT=${TGB_PORT:-19082}            # a second Tollgate with the realistic config
TGB_ADMIN_PORT=${TGB_ADMIN_PORT:-19083}
TGT_PORT=${TGT_PORT:-19084}            # a third Tollgate exporting a span pair for every call
TGT_ADMIN_PORT=${TGT_ADMIN_PORT:-19085}
WORK=$(mktemp -d /tmp/tollgate-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

wait_for() { # url
  for _ in $(seq 1 150); do
    curl -fs -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "bench: $1 did not come up; logs in $WORK" >&2
  exit 1
}

for port in "$MOCK_PORT" "$NGINX_PORT" "$TG_PORT" "$TG_ADMIN_PORT" "$TGB_PORT" "$TGB_ADMIN_PORT" "$TGT_PORT" "$TGT_ADMIN_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench: port $port is already in use; stop what holds it or set MOCK_PORT/NGINX_PORT/TG_PORT/TG_ADMIN_PORT/TGB_PORT/TGB_ADMIN_PORT/TGT_PORT/TGT_ADMIN_PORT" >&2
    exit 1
  fi
done

echo "[bench] building" >&2
mvn -B -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test

echo "[bench] starting the fake upstream, nginx and Tollgate (logs in $WORK)" >&2
java -Xmx512m -jar target/tollgate.jar mock-upstream --port "$MOCK_PORT" --frame-interval-ms 5 --frames 16 \
  >"$WORK/mock.log" 2>&1 &
PIDS+=($!)

mkdir -p "$WORK/nginx"
cat >"$WORK/nginx.conf" <<NGINX
worker_processes auto;
worker_rlimit_nofile 100000;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 40000; }
http {
  access_log off;
  keepalive_requests 10000000;        # never close a benchmark connection mid-run
  keepalive_timeout 300s;
  # Bodies stay in memory, as Tollgate holds them: past the default 16 KiB nginx writes each to a
  # temp file, which its workers (user nobody when started as root) cannot open in $WORK.
  client_body_buffer_size 1m;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  upstream mock { server 127.0.0.1:$MOCK_PORT; keepalive 512; keepalive_requests 10000000; }
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    # The traced Tollgate's OTLP collector: takes every export and answers at once.
    location = /v1/traces { return 200; }
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;            # stream SSE frame by frame, like Tollgate
      proxy_read_timeout 300s;
    }
  }
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK" &
PIDS+=($!)

TOLLGATE_PORT=$TG_PORT TOLLGATE_ADMIN_PORT=$TG_ADMIN_PORT TOLLGATE_UPSTREAM_URL="http://127.0.0.1:$MOCK_PORT/v1" \
  TOLLGATE_DATA_DIR="$WORK/data" java -Xms512m -Xmx512m ${TOLLGATE_JAVA_OPTS:-} -jar target/tollgate.jar serve >"$WORK/tollgate.log" 2>&1 &
TG_PID=$!
PIDS+=($TG_PID)

# The realistic config (issue 31): virtual keys (auth.mode: virtual_keys, so every call's key is
# checked and Tollgate sends its own upstream key), a hard team budget far too large to refuse
# anything that every call counts against, the ledger and the access log (both on by default). The
# bench sends its key to every target alike (nginx and the plain Tollgate pass it on).
cat >"$WORK/budgets.yaml" <<BUDGETS
- {name: bench, scope: 'team:bench', limit_usd: 1000000, period: month}
BUDGETS
cat >"$WORK/realistic.yaml" <<REALISTIC
auth: {mode: virtual_keys}
upstream: {api_key: sk-bench-upstream}
budgets: {file: $WORK/budgets.yaml}
REALISTIC
BENCH_KEY=$(java -jar target/tollgate.jar keys new --team bench --config "$WORK/realistic.yaml" 2>/dev/null | tail -1)
TOLLGATE_PORT=$TGB_PORT TOLLGATE_ADMIN_PORT=$TGB_ADMIN_PORT TOLLGATE_UPSTREAM_URL="http://127.0.0.1:$MOCK_PORT/v1" \
  TOLLGATE_DATA_DIR="$WORK/data-realistic" java -Xms512m -Xmx512m ${TOLLGATE_JAVA_OPTS:-} -jar target/tollgate.jar serve \
  --config "$WORK/realistic.yaml" >"$WORK/tollgate-realistic.log" 2>&1 &
TGB_PID=$!
PIDS+=($TGB_PID)

# Tracing's cost: the plain Tollgate again, with every call sampled and exported over OTLP/HTTP
# (to nginx, which answers at once). Only the tracing part drives it.
TOLLGATE_PORT=$TGT_PORT TOLLGATE_ADMIN_PORT=$TGT_ADMIN_PORT TOLLGATE_UPSTREAM_URL="http://127.0.0.1:$MOCK_PORT/v1" \
  TOLLGATE_DATA_DIR="$WORK/data-tracing" OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$NGINX_PORT" \
  OTEL_TRACES_SAMPLER=always_on java -Xms512m -Xmx512m ${TOLLGATE_JAVA_OPTS:-} -jar target/tollgate.jar serve \
  >"$WORK/tollgate-tracing.log" 2>&1 &
TGT_PID=$!
PIDS+=($TGT_PID)

wait_for "http://127.0.0.1:$MOCK_PORT/v1/models"
wait_for "http://127.0.0.1:$TGT_ADMIN_PORT/readyz"
wait_for "http://127.0.0.1:$TGB_ADMIN_PORT/readyz"
wait_for "http://127.0.0.1:$NGINX_PORT/v1/models"
wait_for "http://127.0.0.1:$TG_ADMIN_PORT/readyz"

java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.tollgate.bench.BenchMain \
  --direct "http://127.0.0.1:$MOCK_PORT/v1" \
  --nginx "http://127.0.0.1:$NGINX_PORT/v1" \
  --tollgate "http://127.0.0.1:$TG_PORT/v1" \
  --tollgate-pid "$TG_PID" \
  --tollgate-admin "http://127.0.0.1:$TG_ADMIN_PORT" \
  --tollgate-realistic "http://127.0.0.1:$TGB_PORT/v1" \
  --tollgate-realistic-pid "$TGB_PID" \
  --tollgate-realistic-admin "http://127.0.0.1:$TGB_ADMIN_PORT" \
  --key "$BENCH_KEY" \
  --tollgate-tracing "http://127.0.0.1:$TGT_PORT/v1" \
  --tollgate-tracing-pid "$TGT_PID" \
  --commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --open-streams "$OPEN_STREAMS" \
  "$@"
