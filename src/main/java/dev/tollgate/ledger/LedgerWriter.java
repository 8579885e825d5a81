package dev.tollgate.ledger;

import dev.tollgate.background.Courtesy;
import dev.tollgate.call.Call;
import dev.tollgate.call.Reason;
import dev.tollgate.config.LedgerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes calls to the ledger from one thread. Event loops only {@link #offer} into a bounded queue
 * (never blocking); the writer commits each call within {@code ledger.batch_window} of its answer,
 * together with whatever else arrived meanwhile, in one transaction ({@link WriterSession}: exactly
 * once, however often a batch is retried).
 *
 * <p>When the store refuses writes (a full disk, an I/O error, a dropped PostgreSQL connection) the
 * writer keeps the batch in hand, backs off (100 ms doubling to 5 s) and tries again until it can;
 * calls keep queueing meanwhile up to {@code ledger.queue_capacity}, past which they are counted
 * and logged as not recorded. {@code /readyz} is red while writes fail. At shutdown it gives up
 * after 10 s of failures, and says exactly how many calls were lost.
 */
public final class LedgerWriter implements AutoCloseable, MeterBinder {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);
  private static final long SESSION_MAX_AGE_NANOS = 60_000_000_000L;
  private static final long SHUTDOWN_PATIENCE_NANOS = 10_000_000_000L;
  private final long shutdownPatienceNanos;
  private static final long MAX_BACKOFF_MS = 5_000;
  // SQLite binds and steps rows on this thread (~25 µs a row): a few rows per executeBatch, with a
  // chance to pause between them (Courtesy). PostgreSQL does that work in its own process, where
  // one round trip per commit matters more.
  private static final int SQLITE_ROWS_PER_STEP = 4;
  // ...and a commit every few hundred rows: SQLite writes a transaction's pages to the WAL in one
  // uninterruptible call, ~0.6 ms for a 100 ms window's 700 rows at 7,000 calls/s, ~0.2 ms for
  // 256. Commits of 64 rows cost the whole process ~8% more CPU per call at 256 connections
  // (measured with bench's throughput load), and a writer that is behind commits whole batches.
  private static final int SQLITE_ROWS_PER_COMMIT = 256;

  private final LedgerConfig config;
  private final BlockingQueue<Call> queue;
  private final Thread thread;
  private final WriterSession session;
  private final CommitClock clock;
  private final int rowsPerStep;
  private final int rowsPerCommit;
  private final Courtesy courtesy;
  private final LedgerCounts counts = new LedgerCounts();
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile long failingSinceNanos; // 0 while writes succeed
  private volatile String lastFailure;
  private volatile boolean running = true;
  private boolean
      givenUp; // shutdown with a store that still refuses: the rest is counted, not tried
  private final Retention retention;

  public LedgerWriter(Database db, LedgerConfig config) {
    this(db, config, SHUTDOWN_PATIENCE_NANOS);
  }

  /**
   * @param shutdownPatienceNanos at shutdown, how long a store that refuses writes is retried
   */
  LedgerWriter(Database db, LedgerConfig config, long shutdownPatienceNanos) {
    this.shutdownPatienceNanos = shutdownPatienceNanos;
    this.config = config;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.clock = new CommitClock(config.batchWindow());
    // Behind = more than two commits' worth queued (saturation, a backlog), or the batch in hand
    // near its deadline: then write flat out.
    this.courtesy = new Courtesy(() -> queue.size() > 2 * config.batchMax() || clock.late());
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
      counts.accepted.incrementAndGet();
    } else {
      long n = counts.dropped.incrementAndGet();
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
    return counts.accepted.get();
  }

  /** Of the accepted calls, in order, how many are committed (or will never be). */
  public long done() {
    return counts.done.get();
  }

  public int queued() {
    return queue.size();
  }

  /** True while the queue can take no more: a call answered now would not be recorded. */
  public boolean full() {
    return queue.remainingCapacity() == 0;
  }

  public long dropped() {
    return counts.dropped.get();
  }

  public long written() {
    return counts.written.get();
  }

  public long writeErrors() {
    return counts.writeErrors.get();
  }

  public long rejected() {
    return counts.rejected.get();
  }

  /** Calls given up on at shutdown because the store still refused writes. */
  public long abandoned() {
    return counts.abandoned.get();
  }

  /** Accepted calls not yet committed (queued, or in the writer's hands). */
  public long unflushed() {
    return counts.accepted.get() - counts.done.get();
  }

  /** Seconds since the oldest unflushed call was answered; 0 when there is none. */
  public double unflushedAgeSeconds() {
    return clock.oldestAgeSeconds(queue.peek(), unflushed() > 0);
  }

  /** The writer's queue depth and counts, as {@code tollgate_ledger_*} metrics. */
  @Override
  public void bindTo(MeterRegistry registry) {
    LedgerMeters.bind(this, registry);
    clock.report(LedgerMeters.commitLag(registry));
  }

  private void run() {
    try {
      session.ensureOpen();
    } catch (SQLException e) {
      LOG.warn("Ledger writer could not connect yet; it will retry: {}", e.getMessage());
    }
    List<Call> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Call first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          // Sleep rather than wait in poll(): a waiting consumer is woken by every offer, which
          // would cost the event loops a thread wake-up per call.
          long sleep = clock.sleepBeforeCommit(first);
          if (running && sleep > 0 && queue.size() < config.batchMax()) {
            TimeUnit.NANOSECONDS.sleep(sleep);
          }
          queue.drainTo(batch, config.batchMax() - batch.size());
          courtesy.restart();
          int perCommit = courtesy.behind() ? batch.size() : rowsPerCommit;
          for (int from = 0; from < batch.size(); from += perCommit) {
            commitWithRetry(batch.subList(from, Math.min(batch.size(), from + perCommit)));
          }
          counts.done.addAndGet(batch.size());
          clock.handed();
          batch.clear();
        }
        retention.expireIfDue();
      } catch (InterruptedException e) {
        running = false;
      } catch (RuntimeException e) {
        // Never let one surprise end the writer: every later call would queue unseen. What was
        // in hand is counted as rejected; the loop goes on with the next calls.
        counts.rejected.addAndGet(batch.size());
        counts.done.addAndGet(batch.size());
        LOG.error("Ledger writer failed on {} calls; they are not recorded", batch.size(), e);
        clock.handed();
        batch.clear();
      }
    }
    session.close();
  }

  /** Commits {@code batch}, waiting out a store that refuses writes for as long as it does. */
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
          queue.size());
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

  /**
   * False when the writer thread died, its writes are failing, or it has calls waiting but
   * committed nothing for the stall timeout: then {@code /readyz} turns red, since calls are piling
   * up unrecorded.
   */
  public boolean healthy() {
    if (!thread.isAlive()) {
      return !running && queue.isEmpty(); // closed on purpose
    }
    if (failingSinceNanos != 0) {
      return false;
    }
    return queue.isEmpty()
        || System.nanoTime() - lastProgressNanos < config.stallTimeout().toNanos();
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
    long lost = counts.abandoned.get() + queue.size();
    if (lost > 0) {
      LOG.error(
          "Ledger closed with {} calls not recorded: the store refused writes ({})",
          lost,
          lastFailure);
    }
  }
}
