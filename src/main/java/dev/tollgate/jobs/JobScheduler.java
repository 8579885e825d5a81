package dev.tollgate.jobs;

import dev.tollgate.ledger.JobLeases;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each background job on one replica at a time, elected through the ledger database: every
 * {@code tick} each replica takes or renews each job's lease ({@link JobLeases#hold}) for {@code
 * lease}; the holder runs a job when it is due, holding the lease for the job's longest run while
 * it does. A replica that dies stops renewing, and another takes over within {@code lease} (or the
 * job's longest run, if it died running it) plus one tick. On one replica (the embedded ledger) it
 * simply runs the jobs. One thread; a job's failure is recorded and logged, never thrown.
 */
public final class JobScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

  private final JobLeases leases;
  private final String replica;
  private final Duration tick;
  private final Duration lease;
  private final Clock clock;
  private final List<Job> jobs = new CopyOnWriteArrayList<>();
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService thread;
  private Instant started;

  public JobScheduler(
      JobLeases leases, String replica, Duration tick, Duration lease, Clock clock) {
    this.leases = leases;
    this.replica = replica;
    this.tick = tick;
    this.lease = lease;
    this.clock = clock;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tollgate-jobs");
              t.setDaemon(true);
              return t;
            });
  }

  public JobScheduler add(Job job) {
    jobs.add(job);
    return this;
  }

  public JobScheduler start() {
    started = clock.instant();
    if (!jobs.isEmpty()) {
      thread.scheduleWithFixedDelay(this::tickOnce, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** The replica this scheduler runs for (its name in the {@code jobs} table). */
  public String replica() {
    return replica;
  }

  /** The jobs whose lease this replica holds now. */
  public Set<String> held() {
    return Set.copyOf(held);
  }

  void tickOnce() {
    for (Job job : jobs) {
      try {
        Instant now = clock.instant();
        if (!leases.hold(job.name(), replica, now, now.plus(lease))) {
          if (held.remove(job.name())) {
            LOG.info("Job '{}' is now run by another replica", job.name());
          }
          continue;
        }
        if (held.add(job.name())) {
          LOG.info("Job '{}' runs on this replica ({})", job.name(), replica);
        }
        var last = leases.get(job.name()).map(JobLeases.Lease::lastRun).orElse(null);
        if (job.due(last, started, now)) {
          run(job, now);
        }
      } catch (SQLException | RuntimeException e) {
        LOG.warn("Job '{}' not scheduled this time: {}", job.name(), e.toString());
      }
    }
  }

  private void run(Job job, Instant now) throws SQLException {
    // Held for the longest run, so nobody takes over a job that is merely slow.
    if (!leases.hold(job.name(), replica, now, now.plus(job.maxRun()).plus(lease))) {
      return;
    }
    String outcome;
    String result = null;
    try {
      result = job.run();
      outcome = "ok";
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      outcome = "failed: " + e;
      LOG.error("Job '{}' failed: {}", job.name(), e.toString());
    }
    leases.finished(job.name(), replica, now, outcome, result);
    leases.hold(job.name(), replica, clock.instant(), clock.instant().plus(lease));
  }

  /** Stops, and gives up the leases so another replica takes the jobs at once. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (String job : held) {
      try {
        leases.release(job, replica);
      } catch (SQLException e) {
        LOG.warn("Job '{}' lease not given up: {}", job, e.getMessage());
      }
    }
  }
}
