#!/usr/bin/env bash
# The ledger at scale, per database: fills CALLS calls (default 10,000,000; 30 days, 20 teams, 40
# projects, 200 keys, 2,000 users, 15 models) through the real ledger writer with every index in
# place, then prints ingest rows/s, bytes on disk per million calls, and p50/p99 of the report
# queries the console, `tollgate report` and `/admin/spend` make most (bench/console-scale.sh,
# dev.tollgate.bench.ConsoleScale), on the embedded SQLite and on PostgreSQL.
#   bench/ledger-scale.sh [CALLS] [sqlite|postgres|both]
# PostgreSQL: the server at 127.0.0.1:5432 (trust auth); the database tollgate_scale is made afresh.
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${1:-10000000}
WHICH=${2:-both}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_USER=${PG_USER:-postgres}

if [ "$WHICH" = sqlite ] || [ "$WHICH" = both ]; then
  echo "=== SQLite, $CALLS calls"
  bench/console-scale.sh "$CALLS"
fi
if [ "$WHICH" = postgres ] || [ "$WHICH" = both ]; then
  command -v psql >/dev/null || { echo "ledger-scale: psql not found (apt-get install -y postgresql-client)" >&2; exit 1; }
  psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qc 'DROP DATABASE IF EXISTS tollgate_scale' >/dev/null
  psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qc 'CREATE DATABASE tollgate_scale' >/dev/null
  echo "=== PostgreSQL, $CALLS calls"
  LEDGER_URL="jdbc:postgresql://$PG_HOST:5432/tollgate_scale?user=$PG_USER" bench/console-scale.sh "$CALLS"
fi
