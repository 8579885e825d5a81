package dev.tollgate.ledger;

import dev.tollgate.background.Courtesy;
import dev.tollgate.call.Call;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Tally;
import dev.tollgate.config.LedgerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes calls to the ledger from one thread. Event loops only {@link #offer} into a bounded queue
 * (never blocking); the writer gathers what arrives within one batch window and commits it in one
 * transaction, raw rows and daily totals together (group commit). A failed commit is retried with
 * back-off; on close the queue is drained before the thread ends.
 */
public final class LedgerWriter implements AutoCloseable, MeterBinder {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);
  private static final long SESSION_MAX_AGE_NANOS = 60_000_000_000L;
  // SQLite binds and steps rows on this thread (~25 µs a row): a few rows per executeBatch, with a
  // chance to pause between them (Courtesy). PostgreSQL does that work in its own process, where
  // one round trip per commit matters more.
  private static final int SQLITE_ROWS_PER_STEP = 4;
  // ...and a commit every few hundred rows: SQLite writes a transaction's pages to the WAL in one
  // uninterruptible call, ~0.6 ms for a 100 ms window's 700 rows at 7,000 calls/s, ~0.2 ms for
  // 256. Commits of 64 rows cost the whole process ~8% more CPU per call at 256 connections
  // (measured with bench's throughput load), and a writer that is behind commits whole batches.
  private static final int SQLITE_ROWS_PER_COMMIT = 256;

  private final Database db;
  private final LedgerConfig config;
  private final BlockingQueue<Call> queue;
  private final Thread thread;
  private final WriterSession session;
  private final int rowsPerStep;
  private final int rowsPerCommit;
  private final Courtesy courtesy;
  private final AtomicLong dropped = new AtomicLong();
  // Calls accepted into the queue, and of those (in queue order) how many are done: committed,
  // or given up on. Budgets use the pair to know which settled costs a ledger read has counted.
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong writeErrors = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile boolean running = true;
  private final Retention retention;

  public LedgerWriter(Database db, LedgerConfig config) {
    this.db = db;
    this.config = config;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    // Behind = more than two commits' worth queued: then write flat out (saturation, a backlog).
    this.courtesy = new Courtesy(() -> queue.size() > 2 * config.batchMax());
    this.session = new WriterSession(db.dataSource(), SESSION_MAX_AGE_NANOS);
    this.rowsPerStep = db.postgres() ? Integer.MAX_VALUE : SQLITE_ROWS_PER_STEP;
    this.rowsPerCommit = db.postgres() ? Integer.MAX_VALUE : SQLITE_ROWS_PER_COMMIT;
    this.retention = new Retention(db, config.retentionDays());
    this.thread = new Thread(this::run, "tollgate-ledger-writer");
    thread.start();
  }

  /**
   * Queues a call; never blocks. A full queue drops the call, counted and logged, never silently.
   */
  public void offer(Call call) {
    if (queue.offer(call)) {
      accepted.incrementAndGet();
    } else {
      long n = dropped.incrementAndGet();
      if (Long.bitCount(n) == 1) { // 1, 2, 4, 8, ...: loud at first, then rate-limited
        LOG.error(
            "Ledger queue full ({} calls): {} calls not recorded so far (ledger.queue_capacity)",
            config.queueCapacity(),
            n);
      }
    }
  }

  /** Calls accepted into the queue so far. */
  public long accepted() {
    return accepted.get();
  }

  /** Of the accepted calls, in order, how many are committed (or will never be). */
  public long done() {
    return done.get();
  }

  public int queued() {
    return queue.size();
  }

  public long dropped() {
    return dropped.get();
  }

  public long written() {
    return written.get();
  }

  public long writeErrors() {
    return writeErrors.get();
  }

  /** The writer's queue depth and counts, as {@code tollgate_ledger_*} metrics. */
  @Override
  public void bindTo(MeterRegistry registry) {
    LedgerMeters.bind(this, registry);
  }

  private void run() {
    List<Call> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Call first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          // Sleep through the window rather than wait in poll(): a waiting consumer is woken by
          // every offer, which would cost the event loops a thread wake-up per call.
          if (running && queue.size() < config.batchMax()) {
            Thread.sleep(config.batchWindow().toMillis());
          }
          queue.drainTo(batch, config.batchMax() - batch.size());
          courtesy.restart();
          int perCommit = courtesy.behind() ? batch.size() : rowsPerCommit;
          for (int from = 0; from < batch.size(); from += perCommit) {
            commitWithRetry(batch.subList(from, Math.min(batch.size(), from + perCommit)));
          }
          done.addAndGet(batch.size());
          batch.clear();
        }
        retention.expireIfDue();
      } catch (InterruptedException e) {
        running = false;
      } catch (RuntimeException e) {
        // Never let one surprise end the writer: every later call would queue unseen. What was
        // in hand is counted as rejected; the loop goes on with the next calls.
        rejected.addAndGet(batch.size());
        done.addAndGet(batch.size());
        LOG.error("Ledger writer failed on {} calls; they are not recorded", batch.size(), e);
        batch.clear();
      }
    }
    session.close();
  }

  private void commitWithRetry(List<Call> batch) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        commit(batch);
        written.addAndGet(batch.size());
        lastProgressNanos = System.nanoTime();
        return;
      } catch (RuntimeException e) {
        // Not the database: a row that cannot be bound. It would fail every retry, so find it.
        writeErrors.incrementAndGet();
        LOG.error(
            "Ledger write of {} calls failed; writing them one by one: {}",
            batch.size(),
            e.toString());
        commitOneByOne(batch);
        return;
      } catch (SQLException e) {
        writeErrors.incrementAndGet();
        if (!running && attempt >= 5) {
          LOG.error(
              "Ledger write failed at shutdown; {} calls not recorded: {}",
              batch.size(),
              e.getMessage());
          return;
        }
        LOG.error(
            "Ledger write of {} calls failed (attempt {}), retrying: {}",
            batch.size(),
            attempt,
            e.getMessage());
        Thread.sleep(Math.min(5_000, 100L << Math.min(attempt, 6)));
      }
    }
  }

  /**
   * Commits each call alone; a call that still cannot be written is rejected, counted and logged.
   */
  private void commitOneByOne(List<Call> batch) throws InterruptedException {
    for (Call c : batch) {
      try {
        commit(List.of(c));
        written.incrementAndGet();
      } catch (RuntimeException e) {
        recordFlagged(c, e);
      } catch (SQLException e) {
        commitWithRetry(List.of(c)); // the database itself: retry as usual
      }
    }
    lastProgressNanos = System.nanoTime();
  }

  /**
   * A call whose cost cannot be stored (beyond what the ledger's pico-dollar columns hold) is
   * recorded with its tokens, no cost, and status unpriced with the reason, so it is counted and
   * visible, never silently $0; only if even that fails is it rejected.
   */
  private void recordFlagged(Call c, RuntimeException cause) throws InterruptedException {
    Call flagged =
        c.withCharge(
            Call.Charge.unpriced(Reason.of(Reason.Kind.COST_OUT_OF_RANGE, c.cost().total())));
    try {
      commit(List.of(flagged));
      written.incrementAndGet();
      LOG.error(
          "Ledger recorded call {} as unpriced: its cost could not be stored ({})",
          c.id(),
          cause.toString());
    } catch (RuntimeException | SQLException e) {
      rejected.incrementAndGet();
      LOG.error("Ledger rejected call {} (model {}): {}", c.id(), c.model(), e.toString());
    }
  }

  /**
   * False when the writer thread died or has calls waiting but committed nothing for the stall
   * timeout: then {@code /readyz} turns red, since calls are piling up unrecorded.
   */
  public boolean healthy() {
    if (!thread.isAlive()) {
      return !running && queue.isEmpty(); // closed on purpose
    }
    return queue.isEmpty()
        || System.nanoTime() - lastProgressNanos < config.stallTimeout().toNanos();
  }

  public long rejected() {
    return rejected.get();
  }

  private void commit(List<Call> batch) throws SQLException {
    Map<LedgerRows.DailyKey, Tally> daily = new HashMap<>();
    for (Call c : batch) {
      daily.computeIfAbsent(LedgerRows.DailyKey.of(c), k -> new Tally()).add(c);
      courtesy.pause();
    }
    try {
      session.ensureOpen();
      PreparedStatement calls = session.calls();
      PreparedStatement totals = session.totals();
      int bound = 0;
      for (Call c : batch) {
        LedgerRows.bindCall(calls, c);
        calls.addBatch();
        if (++bound == rowsPerStep) {
          calls.executeBatch();
          bound = 0;
          courtesy.pause();
        }
      }
      if (bound > 0) {
        calls.executeBatch();
      }
      for (Map.Entry<LedgerRows.DailyKey, Tally> e : daily.entrySet()) {
        LedgerRows.bindDaily(totals, e.getKey(), e.getValue());
        totals.addBatch();
      }
      totals.executeBatch();
      session.connection().commit();
    } catch (SQLException | RuntimeException e) {
      session.close(); // rolls back; the retry starts on a fresh connection
      throw e;
    }
  }

  /** Stops taking the queue's tail only after writing it: every queued call is committed. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!queue.isEmpty()) {
      LOG.error("Ledger closed with {} calls still queued", queue.size());
    }
  }
}
