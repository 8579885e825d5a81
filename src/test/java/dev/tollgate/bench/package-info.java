/**
 * The benchmark client behind {@code bench/run.sh}: added latency, throughput (via wrk), streaming,
 * open-stream memory and ledger throughput, measured against direct and nginx in the same run.
 * Test-side only (run by bench/run.sh through {@link dev.tollgate.bench.BenchMain}): the production
 * jar holds no load generator.
 */
package dev.tollgate.bench;
