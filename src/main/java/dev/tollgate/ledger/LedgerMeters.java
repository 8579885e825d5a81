package dev.tollgate.ledger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The ledger writer's {@code tollgate_ledger_*} meters, read from the writer at scrape time. */
final class LedgerMeters {
  private LedgerMeters() {}

  /** The answer-to-commit lag of each batch's oldest call (a kill -9 loses at most this). */
  static Timer commitLag(MeterRegistry registry) {
    return Timer.builder("tollgate.ledger.commit.lag")
        .description("How long after its answer a batch's oldest call was committed")
        .serviceLevelObjectives(
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5))
        .register(registry);
  }

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
    FunctionCounter.builder("tollgate.ledger.abandoned", writer, LedgerWriter::abandoned)
        .description("Calls not recorded because the store still refused writes at shutdown")
        .register(registry);
    Gauge.builder("tollgate.ledger.unflushed.calls", writer, LedgerWriter::unflushed)
        .description(
            "Calls answered and handed to the ledger but not yet committed: what a kill -9 now"
                + " would lose")
        .register(registry);
    Gauge.builder("tollgate.ledger.unflushed.oldest", writer, LedgerWriter::unflushedAgeSeconds)
        .description("Seconds since the oldest call not yet committed was answered")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("tollgate.ledger.writer.up", writer, w -> w.healthy() ? 1 : 0)
        .description(
            "1 while the ledger writer is alive, its writes succeed and it keeps up, else 0"
                + " (/readyz is then 503)")
        .register(registry);
  }
}
