package dev.tollgate.ledger;

import dev.tollgate.background.Courtesy;
import dev.tollgate.call.Call;
import dev.tollgate.call.Reason;
import java.sql.SQLException;
import java.util.List;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger writer's commits: each batch through {@link WriterSession} (exactly once), retried
 * with back-off (100 ms doubling to 5 s) for as long as the store refuses writes, or at shutdown
 * for at most the patience given; a row that cannot be bound is found by writing the batch one call
 * at a time. Keeps whether writes are failing, and since when, for readiness. Writer thread only.
 */
final class Commits {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final WriterSession session;
  private final Courtesy courtesy;
  private final CommitClock clock;
  private final LedgerCounts counts;
  private final int rowsPerStep;
  private final long shutdownPatienceNanos;
  private final IntSupplier waiting;
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile long failingSinceNanos; // 0 while writes succeed
  private volatile String lastFailure;
  // Shutdown with a store that still refuses: the rest is counted, not tried.
  private boolean givenUp;
  private boolean running = true;

  Commits(
      WriterSession session,
      Courtesy courtesy,
      CommitClock clock,
      LedgerCounts counts,
      int rowsPerStep,
      long shutdownPatienceNanos,
      IntSupplier waiting) {
    this.session = session;
    this.courtesy = courtesy;
    this.clock = clock;
    this.counts = counts;
    this.rowsPerStep = rowsPerStep;
    this.shutdownPatienceNanos = shutdownPatienceNanos;
    this.waiting = waiting;
  }

  /** True while writes are failing (readiness is red). */
  boolean failing() {
    return failingSinceNanos != 0;
  }

  long lastProgressNanos() {
    return lastProgressNanos;
  }

  /** Why the last write failed, or null once one succeeded. */
  String lastFailure() {
    return lastFailure;
  }

  /**
   * Commits {@code batch}, waiting out a store that refuses writes for as long as it does.
   *
   * @param running false once the writer is closing: then a refusing store is given up on
   */
  void commit(List<Call> batch, boolean running) throws InterruptedException {
    this.running = running;
    commitWithRetry(batch);
  }

  private void commitWithRetry(List<Call> batch) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      if (givenUp) {
        counts.abandoned.addAndGet(batch.size());
        return;
      }
      long started = System.currentTimeMillis();
      try {
        session.write(batch, attempt > 1, rowsPerStep, courtesy);
        counts.written.addAndGet(batch.size());
        progressed(batch, started);
        return;
      } catch (RuntimeException e) {
        // Not the database: a row that cannot be bound. It would fail every retry, so find it.
        counts.writeErrors.incrementAndGet();
        LOG.error(
            "Ledger write of {} calls failed; writing them one by one: {}",
            batch.size(),
            e.toString());
        commitOneByOne(batch);
        return;
      } catch (SQLException e) {
        counts.writeErrors.incrementAndGet();
        failing(e, batch.size(), attempt);
        if (!running && System.nanoTime() - failingSinceNanos > shutdownPatienceNanos) {
          givenUp = true;
          continue;
        }
        Thread.sleep(Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt - 1, 6)));
      }
    }
  }

  /** A write the store refused: readiness turns red, and the log says why without flooding. */
  private void failing(SQLException e, int calls, int attempt) {
    if (failingSinceNanos == 0) {
      failingSinceNanos = System.nanoTime();
    }
    String why = String.valueOf(e.getMessage());
    if (why.length() > 300) {
      why = why.substring(0, 300) + "…"; // a driver's batch error quotes the whole statement
    }
    if (attempt == 1 || !why.equals(lastFailure) || Long.bitCount(attempt) == 1) {
      LOG.error(
          "Ledger write of {} calls failed (attempt {}), keeping them and retrying: {}",
          calls,
          attempt,
          why);
    }
    lastFailure = why;
  }

  private void progressed(List<Call> batch, long startedMillis) {
    if (failingSinceNanos != 0) {
      LOG.info(
          "Ledger writes succeed again after {} s; {} calls waiting",
          (System.nanoTime() - failingSinceNanos) / 1_000_000_000,
          waiting.getAsInt());
    }
    failingSinceNanos = 0;
    lastFailure = null;
    lastProgressNanos = System.nanoTime();
    clock.committed(batch, startedMillis);
  }

  /**
   * Commits each call alone; a call that still cannot be written is rejected, counted and logged.
   */
  private void commitOneByOne(List<Call> batch) throws InterruptedException {
    long started = System.currentTimeMillis();
    for (Call c : batch) {
      try {
        session.write(List.of(c), true, 1, courtesy);
        counts.written.incrementAndGet();
      } catch (RuntimeException e) {
        recordFlagged(c, e);
      } catch (SQLException e) {
        commitWithRetry(List.of(c)); // the database itself: retry as usual
      }
    }
    progressed(batch, started);
  }

  /**
   * A call whose cost cannot be stored (beyond what the ledger's pico-dollar columns hold) is
   * recorded with its tokens, no cost, and status unpriced with the reason, so it is counted and
   * visible, never silently $0; only if even that fails is it rejected.
   */
  private void recordFlagged(Call c, RuntimeException cause) {
    Call flagged =
        c.withCharge(
            Call.Charge.unpriced(Reason.of(Reason.Kind.COST_OUT_OF_RANGE, c.cost().total())));
    try {
      session.write(List.of(flagged), true, 1, courtesy);
      counts.written.incrementAndGet();
      LOG.error(
          "Ledger recorded call {} as unpriced: its cost could not be stored ({})",
          c.id(),
          cause.toString());
    } catch (RuntimeException | SQLException e) {
      counts.rejected.incrementAndGet();
      LOG.error("Ledger rejected call {} (model {}): {}", c.id(), c.model(), e.toString());
    }
  }
}
