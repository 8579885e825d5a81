/**
 * The benchmark client behind {@code bench/run.sh}: added latency, throughput (via wrk),
 * streaming, open-stream memory and ledger throughput, measured against direct and nginx in the
 * same run. Not used by the proxy itself.
 */
package dev.tollgate.bench;
