#!/usr/bin/env bash
# JMH micro-benchmarks of the usage parser, pricing and the ledger writer (src/test/java/dev/tollgate/jmh).
# Arguments go to JMH, e.g. `bench/jmh.sh UsageParser -f 1 -wi 3 -i 5`; the default is a short run of all.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test
ARGS=("$@")
[ ${#ARGS[@]} -eq 0 ] && ARGS=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
exec java -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" org.openjdk.jmh.Main "${ARGS[@]}"
