package dev.tollgate.ledger;

import dev.tollgate.background.Courtesy;
import dev.tollgate.call.Call;
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
  private final int rowsPerCommit;
  private final Courtesy courtesy;
  private final LedgerCounts counts = new LedgerCounts();
  private final Commits commits;
  private volatile boolean running = true;

  public LedgerWriter(Database db, LedgerConfig config) {
    this(db, config, SHUTDOWN_PATIENCE_NANOS);
  }

  /**
   * @param shutdownPatienceNanos at shutdown, how long a store that refuses writes is retried
   */
  LedgerWriter(Database db, LedgerConfig config, long shutdownPatienceNanos) {
    this.config = config;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.clock = new CommitClock(config.batchWindow());
    // Behind = more than two commits' worth queued (saturation, a backlog), or the batch in hand
    // near its deadline: then write flat out.
    this.courtesy = new Courtesy(() -> queue.size() > 2 * config.batchMax() || clock.late());
    this.session = new WriterSession(db.dataSource(), SESSION_MAX_AGE_NANOS);
    this.rowsPerCommit = db.postgres() ? Integer.MAX_VALUE : SQLITE_ROWS_PER_COMMIT;
    this.commits =
        new Commits(
            session,
            courtesy,
            clock,
            counts,
            db.postgres() ? Integer.MAX_VALUE : SQLITE_ROWS_PER_STEP,
            shutdownPatienceNanos,
            queue::size);
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
            commits.commit(batch.subList(from, Math.min(batch.size(), from + perCommit)), running);
          }
          counts.done.addAndGet(batch.size());
          clock.handed();
          batch.clear();
        }
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

  /**
   * False when the writer thread died, its writes are failing, or it has calls waiting but
   * committed nothing for the stall timeout: then {@code /readyz} turns red, since calls are piling
   * up unrecorded.
   */
  public boolean healthy() {
    if (!thread.isAlive()) {
      return !running && queue.isEmpty(); // closed on purpose
    }
    if (commits.failing()) {
      return false;
    }
    return queue.isEmpty()
        || System.nanoTime() - commits.lastProgressNanos() < config.stallTimeout().toNanos();
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
          commits.lastFailure());
    }
  }
}
