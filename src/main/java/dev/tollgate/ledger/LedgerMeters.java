package dev.tollgate.ledger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The ledger writer's {@code tollgate_ledger_*} meters, read from the writer at scrape time. */
final class LedgerMeters {
  private LedgerMeters() {}

  static void bind(LedgerWriter writer, MeterRegistry registry) {
    Gauge.builder("tollgate.ledger.queue.depth", writer, LedgerWriter::queued)
        .description("Calls waiting for the ledger writer")
        .register(registry);
    FunctionCounter.builder("tollgate.ledger.write.errors", writer, LedgerWriter::writeErrors)
        .description("Failed ledger commits (retried)")
        .register(registry);
    FunctionCounter.builder("tollgate.ledger.dropped", writer, LedgerWriter::dropped)
        .description("Calls not recorded because the ledger queue was full")
        .register(registry);
    FunctionCounter.builder("tollgate.ledger.rows.written", writer, LedgerWriter::written)
        .description("Calls committed to the ledger")
        .register(registry);
    FunctionCounter.builder("tollgate.ledger.rejected", writer, LedgerWriter::rejected)
        .description("Calls the ledger could not record (each is logged with its id)")
        .register(registry);
    Gauge.builder("tollgate.ledger.writer.up", writer, w -> w.healthy() ? 1 : 0)
        .description(
            "1 while the ledger writer is alive and keeping up, else 0 (/readyz is then 503)")
        .register(registry);
  }
}
